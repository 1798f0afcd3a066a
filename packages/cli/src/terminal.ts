/** Where the CLI writes: results to out, progress and problems to err (so out can be piped). */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** Rewrites the current progress line when err is a terminal; otherwise prints a line. */
  progress(line: string): void;
  /** Ends the progress line. */
  endProgress(): void;
}

export function processTerminal(): Terminal {
  const interactive = process.stderr.isTTY === true;
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    // Erased to the end of the line: a shorter line would otherwise keep the longer one's tail.
    progress: (line) => process.stderr.write(interactive ? `\r${line}\x1b[K` : `${line}\n`),
    endProgress: () => {
      if (interactive) process.stderr.write('\n');
    },
  };
}
