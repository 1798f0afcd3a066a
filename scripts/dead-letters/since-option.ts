const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `--since`: an instant (`2026-12-07T09:00:00Z`, or a date, taken as midnight UTC) or a time ago
 * (`30m`, `6h`, `7d`). Epoch ms, or undefined when the text is neither.
 */
export function parseSince(text: string, now: number): number | undefined {
  const ago = /^(\d+)([mhd])$/.exec(text);
  if (ago) return now - Number(ago[1]) * (UNIT_MS[ago[2] ?? ''] ?? 0);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const instant = Date.parse(text);
  return Number.isNaN(instant) ? undefined : instant;
}
