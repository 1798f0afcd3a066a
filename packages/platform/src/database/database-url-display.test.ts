import { describe, expect, it } from 'vitest';
import { displayDatabaseUrl } from './database-url-display.js';

describe('DATABASE_URL as messages show it', () => {
  it('keeps user, host, port and database, and drops the password and the query', () => {
    expect(displayDatabaseUrl('postgres://leadscore:s3cret@db.internal:5433/leadscore?sslmode=require')).toBe(
      'postgres://leadscore@db.internal:5433/leadscore',
    );
    expect(displayDatabaseUrl('postgresql://db.internal/leadscore?password=s3cret')).toBe(
      'postgresql://db.internal/leadscore',
    );
  });

  it('keeps a socket directory given as ?host=', () => {
    expect(displayDatabaseUrl('postgres:///leadscore?host=/var/run/postgresql&password=pw')).toBe(
      'postgres:///leadscore?host=/var/run/postgresql',
    );
  });
});
