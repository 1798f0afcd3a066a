/** A JSON value as the schemas accept it (no undefined, functions, dates or bigints). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Serialises a JSON value with object keys sorted (by UTF-16 code units) at every depth and no
 * whitespace, so two values that are equal as JSON documents always give the same string,
 * whatever order their keys were written in. Array order is kept: it is meaningful.
 * Object entries whose value is `undefined` are left out, as JSON.stringify does.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`);
  return `{${entries.join(',')}}`;
}
