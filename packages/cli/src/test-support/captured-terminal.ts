import type { Terminal } from '../terminal.js';

export interface CapturedTerminal extends Terminal {
  /** What the commands wrote, line by line: results, problems and progress apart. */
  readonly lines: { readonly out: string[]; readonly err: string[]; readonly progress: string[] };
}

/** A terminal that keeps what is written to it, for tests of the commands. */
export function capturedTerminal(): CapturedTerminal {
  const lines = { out: [] as string[], err: [] as string[], progress: [] as string[] };
  return {
    lines,
    out: (text) => lines.out.push(text),
    err: (text) => lines.err.push(text),
    progress: (line) => lines.progress.push(line),
    endProgress: () => {},
  };
}
