/**
 * DATABASE_URL as logs and messages may show it: scheme, user, host, port and database. The
 * password and the query string are left out (libpq reads `password=` and `sslpassword=` there
 * too); a `?host=` (a socket directory) is kept, since it says where the server is.
 */
export function displayDatabaseUrl(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    // The config schema only lets URLs through; anything else is shown as nothing at all.
    return '(not a URL)';
  }
  const user = url.username === '' ? '' : `${url.username}@`;
  const hostParameter = url.searchParams.get('host');
  const where = hostParameter === null ? '' : `?host=${hostParameter}`;
  return `${url.protocol}//${user}${url.host}${url.pathname}${where}`;
}
