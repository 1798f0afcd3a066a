import { afterEach, describe, expect, it, vi } from 'vitest';
import { processTerminal } from './terminal.js';

describe('processTerminal on a terminal', () => {
  const wasTty = process.stderr.isTTY;
  afterEach(() => {
    process.stderr.isTTY = wasTty;
    vi.restoreAllMocks();
  });

  it('rewrites the progress line and erases what a longer line before it left', () => {
    process.stderr.isTTY = true;
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const terminal = processTerminal();
    terminal.progress('running eta 11s');
    terminal.progress('completed');
    terminal.endProgress();
    expect(written).toEqual(['\rrunning eta 11s\x1b[K', '\rcompleted\x1b[K', '\n']);
  });

  it('prints one line per progress report when stderr is no terminal', () => {
    process.stderr.isTTY = false;
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const terminal = processTerminal();
    terminal.progress('running');
    terminal.endProgress();
    expect(written).toEqual(['running\n']);
  });
});
