import { createDatabaseOn, type DisposableDatabase } from '../../tests/support/disposable-database.js';

/** An empty database of its own on the server at `adminUrl`, for one benchmark run. */
export function createScratchDatabase(adminUrl: string): Promise<DisposableDatabase> {
  return createDatabaseOn(adminUrl, 'lsbench');
}
