import { queryOnce } from './postgres-ready.js';

export type LocalPostgresProbe = { usable: true; url: string } | { usable: false; reason: string };

/**
 * Whether a PostgreSQL on 127.0.0.1:5432 answers a real connection as $PGUSER (default postgres)
 * and may create databases, which per-file isolation needs.
 */
export async function probeLocalPostgres(env: NodeJS.ProcessEnv = process.env): Promise<LocalPostgresProbe> {
  const url = new URL('postgres://127.0.0.1:5432/postgres');
  url.username = env.PGUSER || 'postgres';
  if (env.PGPASSWORD) url.password = env.PGPASSWORD;
  const href = url.toString();
  try {
    const rows = await queryOnce<{ may_create: boolean }>(
      href,
      'SELECT rolsuper OR rolcreatedb AS may_create FROM pg_roles WHERE rolname = current_user',
    );
    if (!rows[0]?.may_create) {
      return { usable: false, reason: `role ${url.username} may not create databases` };
    }
    return { usable: true, url: href };
  } catch (error) {
    return { usable: false, reason: (error as Error).message };
  }
}
