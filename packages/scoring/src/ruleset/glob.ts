// Glob patterns for URLs and e-mail addresses: `**` matches anything, `*` anything but "/",
// `?` one character but "/". Everything else is literal: there are no escapes, no classes, no
// braces. Matching is case-sensitive, covers the whole value (no partial matches) and counts UTF-16
// code units, so `?` is one code unit. A pattern is read left to right, so `***` is `**` then `*`.
//
// Patterns come from rulesets that admins draft, and run on every event, so a match must cost at
// most O(pattern length × value length) whatever both are. A regular expression with a quantifier
// per star does not: on `/*a*a*a*a*a*a*a*b` against "/aaa…", a backtracking engine tries every
// way of splitting the a's between the stars (about n^8 steps). Two ways of matching instead:
// - Patterns whose stars are all `*` or all `**` (and those with one star or none): each fixed piece
//   between two stars goes to its leftmost occurrence, which is never wrong (`greedySource` says
//   why), and the choice is never revisited. They are compiled to one regular expression per list
//   of patterns, each star but the last in an atomic group, so the only quantifier the engine can
//   backtrack into is the last star: `/a*b*c` is ^\/a(?=([^/]*?b))(?:\1)[^/]*c$.
// - Patterns mixing `*` and `**` (`/blog/**/*-guide*`), where the leftmost occurrence can be wrong
//   (`**x*y` and "x/xy"): their fixed head and tail are compared at both ends of the value, and the
//   middle is simulated as a set of states (an NFA) over the characters in between, in one pass: a
//   32-bit mask for up to 31 tokens (shift-and, a few bit operations per character), an array of
//   flags beyond (O(tokens) per character).

/** Tests a whole value against compiled globs. */
export type GlobMatcher = (text: string) => boolean;

const SLASH = 0x2f;
const QUESTION = 0x3f;
const ASTERISK = 0x2a;

// Tokens: a literal is its UTF-16 code unit (>= 0); wildcards are negative. Adjacent stars are
// merged: `**` followed by `*` or `**` matches what `**` alone does. So two stars always have at
// least one literal or `?` between them.
const ANY = -1; // ?
const STAR = -2; // *
const GLOBSTAR = -3; // **

/** Compiles patterns once into a test of whether any of them matches a value. */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const alternatives: string[] = [];
  const simulated: MixedGlob[] = [];
  let captures = 0;
  for (const pattern of patterns) {
    const tokens = tokenize(pattern);
    if (tokens.includes(STAR) && tokens.includes(GLOBSTAR)) {
      simulated.push(new MixedGlob(pattern));
    } else {
      const { source, groups } = greedySource(tokens, captures);
      alternatives.push(source);
      captures += groups;
    }
  }
  const greedy = new RegExp(`^(?:${alternatives.join('|')})$`, 's');
  if (simulated.length === 0) return (text) => greedy.test(text);
  const mixed = (text: string) => {
    for (const glob of simulated) if (glob.matches(text)) return true;
    return false;
  };
  if (alternatives.length === 0) return mixed;
  return (text) => greedy.test(text) || mixed(text);
}

/** Compiles one glob pattern; the matcher it returns costs O(pattern length × value length). */
export function compileGlob(pattern: string): GlobMatcher {
  return compileGlobs([pattern]);
}

function tokenize(pattern: string): number[] {
  const tokens: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const code = pattern.charCodeAt(i);
    let token = code;
    if (code === ASTERISK && pattern.charCodeAt(i + 1) === ASTERISK) {
      token = GLOBSTAR;
      i++;
    } else if (code === ASTERISK) {
      token = STAR;
    } else if (code === QUESTION) {
      token = ANY;
    }
    if (token <= STAR && tokens.at(-1) === GLOBSTAR) continue;
    tokens.push(token);
  }
  return tokens;
}

/**
 * The regular expression source of a pattern whose stars are all of one kind. Every star but the
 * last, with the piece after it, becomes `(?=(S*?piece))(?:\n)`: the lookahead finds the leftmost
 * place for the piece that the star can reach (the lazy `S*?` tries each next position once, at
 * O(piece length) a try), and the backreference consumes exactly what it found. A lookahead that
 * has matched is never re-entered on backtracking (ECMAScript semantics), so once the last star is
 * reached the only remaining choice is how much it takes before the fixed tail: O(value × tail).
 * So a match costs O(value length × pattern length), on every alternative in turn.
 *
 * Why the leftmost place p of a piece is never worse than a later one p' (the rest of the pattern
 * only needs to start at or after the piece's end):
 * - `**`: the stars take anything, so ending earlier leaves every later choice open.
 * - `*`: if p' works, the star before the piece takes value[cur, p'), so value[p, p') has no "/".
 *   The piece has no literal "/" either: where it had one at offset j, the value would have "/" at
 *   p + j, so p + j >= p', hence p + j lies in the occurrence at p' and the piece has a literal "/"
 *   at j - (p' - p), and so on down to an offset below p' - p, a contradiction (only a literal "/"
 *   matches "/"). So value[p, p' + piece length) has no "/", and the star after the piece, which
 *   from p' takes value[p' + length, q), can take value[p + length, q) as well.
 * With both kinds this fails: in `**x*y` against "x/xy", the first "x" leaves `*` a "/" to cross.
 */
function greedySource(tokens: readonly number[], capturesBefore: number): { source: string; groups: number } {
  let source = '';
  let groups = 0;
  let star = ''; // the character class of the star being read, '' before the first
  let piece = ''; // what follows that star so far
  for (const token of tokens) {
    if (token <= STAR) {
      if (star !== '') {
        groups++;
        source += `(?=(${star}*?${piece}))(?:\\${capturesBefore + groups})`;
      }
      star = token === GLOBSTAR ? '.' : '[^/]';
      piece = '';
    } else {
      const atom = token === ANY ? '[^/]' : escapeRegExp(String.fromCharCode(token));
      if (star === '') source += atom;
      else piece += atom;
    }
  }
  if (star !== '') source += `${star}*${piece}`;
  return { source, groups };
}

// A pattern mixing `*` and `**`: head and tail (no stars) compared at the ends, middle simulated.
class MixedGlob {
  readonly #head: string;
  readonly #tail: string;
  readonly #headPlain: boolean; // no `?`
  readonly #tailPlain: boolean;
  readonly #middle: MiddleMatcher;
  readonly #run: string; // the longest literal run of the middle

  constructor(pattern: string) {
    const first = pattern.indexOf('*');
    const last = pattern.lastIndexOf('*');
    this.#head = pattern.slice(0, first);
    this.#tail = pattern.slice(last + 1);
    this.#headPlain = !this.#head.includes('?');
    this.#tailPlain = !this.#tail.includes('?');
    const middle = tokenize(pattern.slice(first, last + 1));
    this.#middle = middle.length <= 31 ? maskMatcher(middle) : wideMatcher(middle);
    this.#run = longestLiteralRun(middle);
  }

  matches(text: string): boolean {
    const head = this.#head;
    const tail = this.#tail;
    const end = text.length - tail.length; // the middle is text[head.length, end)
    if (end < head.length) return false;
    // Most values do not match, and most lack the longest literal run of the middle: one indexOf
    // (O(value length × run length)) turns them away before anything else.
    const run = this.#run;
    if (run !== '') {
      const at = text.indexOf(run, head.length);
      if (at === -1 || at + run.length > end) return false;
    }
    if (head !== '' && !(this.#headPlain ? plainAt(head, text, 0) : fixedAt(head, text, 0))) return false;
    if (tail !== '' && !(this.#tailPlain ? plainAt(tail, text, end) : fixedAt(tail, text, end))) return false;
    return this.#middle(text, head.length, end);
  }
}

// Whether a run of literals occurs in the value at `at`; the caller has checked that the value is
// long enough. Two characters, compared first, turn most values away without building a string;
// slice and === are about twice as fast as a successful startsWith on node 20 (V8 11.3).
function plainAt(run: string, text: string, at: number): boolean {
  const last = run.length - 1;
  const middle = last >> 1;
  return (
    text.charCodeAt(at + last) === run.charCodeAt(last) &&
    text.charCodeAt(at + middle) === run.charCodeAt(middle) &&
    text.slice(at, at + run.length) === run
  );
}

// Whether a run of literals and `?` matches the value at `at`; the caller has checked the length.
function fixedAt(run: string, text: string, at: number): boolean {
  for (let i = 0; i < run.length; i++) {
    const want = run.charCodeAt(i);
    const got = text.charCodeAt(at + i);
    if (want === QUESTION ? got === SLASH : want !== got) return false;
  }
  return true;
}

// Whether value[from, to) matches the middle tokens, which start and end with a star.
type MiddleMatcher = (text: string, from: number, to: number) => boolean;

function longestLiteralRun(tokens: readonly number[]): string {
  let longest = '';
  let current = '';
  for (const token of tokens) {
    current = token >= 0 ? current + String.fromCharCode(token) : '';
    if (current.length > longest.length) longest = current;
  }
  return longest;
}

// Shift-and: bit i of the state mask is set when the first i tokens can match the value read so
// far. A star token keeps its bit (it may take one more character) and, being able to match
// nothing, also sets the next bit; other tokens move their bit one up when they take the character.
function maskMatcher(tokens: readonly number[]): MiddleMatcher {
  const count = tokens.length;
  let anyMask = 0; // tokens `?`: take any character but "/"
  let starMask = 0; // tokens `*` and `**`: stay on any character but "/"
  let globMask = 0; // tokens `**`: also stay on "/"
  tokens.forEach((token, i) => {
    if (token === ANY) anyMask |= 1 << i;
    if (token <= STAR) starMask |= 1 << i;
    if (token === GLOBSTAR) globMask |= 1 << i;
  });
  // Which tokens take a character and move on: ASCII in a table, anything else in a map.
  const ascii = new Int32Array(128).fill(anyMask);
  ascii[SLASH] = 0;
  const other = new Map<number, number>();
  tokens.forEach((token, i) => {
    if (token < 0) return;
    if (token < 128) ascii[token] = (ascii[token] as number) | (1 << i);
    else other.set(token, (other.get(token) ?? anyMask) | (1 << i));
  });
  const start = 1 | ((1 & starMask) << 1);
  // Once a final `**` is reached, whatever is left matches.
  const done = tokens[count - 1] === GLOBSTAR ? 1 << (count - 1) : 0;
  return (text, from, to) => {
    let state = start;
    for (let at = from; at < to; at++) {
      if ((state & done) !== 0) return true;
      const code = text.charCodeAt(at);
      const moves = code < 128 ? (ascii[code] as number) : (other.get(code) ?? anyMask);
      state = ((state & moves) << 1) | (state & (code === SLASH ? globMask : starMask));
      state |= (state & starMask) << 1;
      if (state === 0) return false;
    }
    return ((state >>> count) & 1) === 1;
  };
}

// The same simulation for long patterns, one flag per state: O(tokens) per character.
function wideMatcher(tokens: readonly number[]): MiddleMatcher {
  const count = tokens.length;
  const kinds = Int32Array.from(tokens);
  const close = (states: Uint8Array) => {
    for (let i = 0; i < count; i++) if (states[i] === 1 && (kinds[i] as number) <= STAR) states[i + 1] = 1;
  };
  return (text, from, to) => {
    let states = new Uint8Array(count + 1);
    let next = new Uint8Array(count + 1);
    states[0] = 1;
    close(states);
    for (let at = from; at < to; at++) {
      const code = text.charCodeAt(at);
      next.fill(0);
      let alive = false;
      for (let i = 0; i < count; i++) {
        if (states[i] === 0) continue;
        const kind = kinds[i] as number;
        if (kind === GLOBSTAR || (kind === STAR && code !== SLASH)) {
          next[i] = 1;
          alive = true;
        } else if (kind === ANY ? code !== SLASH : kind === code) {
          next[i + 1] = 1;
          alive = true;
        }
      }
      if (!alive) return false;
      close(next);
      [states, next] = [next, states];
    }
    return states[count] === 1;
  };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?|()[\]{}]/g, '\\$&');
}

const SCHEME_AND_HOST = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * Marketers write page rules as paths ("/pricing"), while trackers send full URLs. When a pattern
 * starts with "/", it is matched against the path of the value: scheme and host, query and fragment
 * are ignored, and a bare host counts as "/".
 */
export function urlPathOf(value: string): string {
  const withoutOrigin = value.replace(SCHEME_AND_HOST, '');
  const end = withoutOrigin.search(/[?#]/);
  const path = end === -1 ? withoutOrigin : withoutOrigin.slice(0, end);
  return path === '' ? '/' : path;
}
