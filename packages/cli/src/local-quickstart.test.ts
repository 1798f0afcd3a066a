import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localQuickstart, readQuickstartKey } from './local-quickstart.js';

describe('localQuickstart', () => {
  it('is the quickstart on its default ports, with the key in .leadscore', () => {
    expect(localQuickstart({})).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      webhookUrl: 'http://127.0.0.1:3001',
      keyFile: join('.leadscore', 'api-key'),
    });
  });

  it('follows LEADSCORE_PORT_BASE (api on the base, webhook on the next) and LEADSCORE_HOME', () => {
    expect(localQuickstart({ LEADSCORE_PORT_BASE: '4100', LEADSCORE_HOME: '/srv/ls' })).toEqual({
      apiUrl: 'http://127.0.0.1:4100',
      webhookUrl: 'http://127.0.0.1:4101',
      keyFile: '/srv/ls/api-key',
    });
  });
});

describe('readQuickstartKey', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'leadscore-cli-key-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads the key without its line end', async () => {
    await writeFile(join(folder, 'api-key'), 'lsq_abc\n');
    expect(readQuickstartKey(join(folder, 'api-key'))).toBe('lsq_abc');
  });

  it('is undefined where no quickstart has written a key, or the file is empty', async () => {
    expect(readQuickstartKey(join(folder, 'api-key'))).toBeUndefined();
    await writeFile(join(folder, 'api-key'), '\n');
    expect(readQuickstartKey(join(folder, 'api-key'))).toBeUndefined();
  });

  it('does not hide a key file it may not read', () => {
    // A folder where a file is expected: EISDIR, not "no key".
    expect(() => readQuickstartKey(folder)).toThrow(/EISDIR/);
  });
});
