import { z } from 'zod';
import { apiProblems } from './api-problems.js';

/**
 * Opaque page cursors: base64url JSON of where the last page ended. Opaque so clients pass them
 * back unchanged and the keyset behind them can change without breaking anyone.
 */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** The position a cursor holds, or a 400 problem naming the cursor parameter. */
export function decodeCursor<T>(schema: z.ZodType<T>, cursor: string): T {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw apiProblems.invalidCursor('is not a cursor this API returned');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw apiProblems.invalidCursor('is not a cursor this API returned');
  return parsed.data;
}

/** The `cursor` query parameter every paginated route takes. */
export const cursorParameter = z
  .string()
  .min(1)
  .max(1_000)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor this API returned')
  .optional()
  .describe('The nextCursor of the previous page; omit for the first page');

/** `limit`: how many items a page holds; a value that is no number reads "must be a whole number". */
export const limitParameter = (defaultLimit: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .default(defaultLimit)
    .describe(`Items per page, 1 to ${max}`);
