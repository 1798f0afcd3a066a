import { describe, expect, it } from 'vitest';
import { toInvalidField, validationProblem } from './problem.js';

describe('toInvalidField', () => {
  it('turns a JSON pointer into a readable path with array indexes', () => {
    expect(
      toInvalidField('body', { instancePath: '/events/3/lead/email', message: 'Invalid email' }),
    ).toEqual({
      in: 'body',
      path: 'events[3].lead.email',
      message: 'Invalid email',
    });
  });

  it("names the missing property of ajv's required errors", () => {
    expect(
      toInvalidField('querystring', {
        instancePath: '/lead',
        message: "must have required property 'id'",
        params: { missingProperty: 'id' },
      }),
    ).toMatchObject({ in: 'querystring', path: 'lead.id' });
  });
});

describe('validationProblem', () => {
  it('summarises every field in the detail', () => {
    const problem = validationProblem('/v1/events', [
      { in: 'body', path: 'events[0].type', message: 'Required' },
      { in: 'body', path: '', message: 'Expected object' },
    ]);
    expect(problem.detail).toBe('events[0].type: Required; body: Expected object');
    expect(problem.errors).toHaveLength(2);
  });
});
