// autocannon ships no types; webhook-load.ts reads the few result fields it uses through its own
// interface, so the options and the result stay loosely typed here.
declare module 'autocannon' {
  function autocannon(options: Record<string, unknown>): Promise<unknown>;
  export default autocannon;
}
