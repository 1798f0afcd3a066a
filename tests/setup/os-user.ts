import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** uid and gid of a local user, or undefined when there is no such user. */
export async function lookUpOsUser(name: string): Promise<OsUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]).then(({ stdout }) => Number(stdout.trim())),
      execFileAsync('id', ['-g', name]).then(({ stdout }) => Number(stdout.trim())),
    ]);
    return { name, uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * The unprivileged user to run a program as when we are root (PostgreSQL refuses to run as
 * root): $LEADSCORE_PG_OS_USER, else `postgres` (created by distribution packages), else `nobody`.
 * Undefined when we are not root: then the program simply runs as us.
 */
export async function unprivilegedUserIfRoot(
  env: NodeJS.ProcessEnv = process.env,
): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const candidates = env.LEADSCORE_PG_OS_USER ? [env.LEADSCORE_PG_OS_USER] : ['postgres', 'nobody'];
  for (const name of candidates) {
    const user = await lookUpOsUser(name);
    if (user && user.uid !== 0) return user;
  }
  throw new Error(`running as root and none of these non-root users exists: ${candidates.join(', ')}`);
}
