/** A JSON value as the schemas accept it (no undefined, functions, dates or bigints). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Serialises a JSON value with object keys sorted (by UTF-16 code units) at every depth and no
 * whitespace, so two values that are equal as JSON documents always give the same string,
 * whatever order their keys were written in. Array order is kept: it is meaningful.
 * Object entries whose value is `undefined` are left out, as JSON.stringify does.
 *
 * It is on the webhook's per-event path (deterministic ids), hence one string built by appending
 * instead of arrays filtered, mapped and joined at every level. The output must never change:
 * stored event ids depend on it (canonical-json.test.ts pins it to the plain definition).
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      // A hole or undefined item gives an empty string, as `Array.prototype.join` would.
      out += canonicalJson(value[i] as JsonValue) ?? '';
    }
    return `${out}]`;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const key of keys) {
    const item = value[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}
