import { describe, expect, it } from 'vitest';
import { DatabaseUnreachableError } from './database-unreachable.js';

describe('a database that cannot be reached', () => {
  it('names the variable and the reason in the unreachable error, never the password', () => {
    const error = new DatabaseUnreachableError(
      'postgres://postgres:s3cret@127.0.0.1:5999/x',
      new Error('connect ECONNREFUSED 127.0.0.1:5999'),
    );
    expect(error.message).toBe(
      'the database could not be reached: DATABASE_URL=postgres://postgres@127.0.0.1:5999/x (connect ECONNREFUSED 127.0.0.1:5999)',
    );
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('s3cret');
  });
});
