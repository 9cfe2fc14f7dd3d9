import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, temporaryUnavailability } from './errors';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a server shutting down', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting up', withCode('the database system is starting up', '57P03')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    [
      'one wrapped by the ORM',
      new Error('Failed query: select 1', { cause: new Error('Connection terminated unexpectedly') }),
    ],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', withCode('duplicate key value', '23505')],
    ['a bad value', withCode('invalid input syntax for type uuid', '22P02')],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'Connection terminated'],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('tells the client to retry after a few seconds', () => {
    expect(temporaryUnavailability(withCode('connect ECONNREFUSED', 'ECONNREFUSED'))).toEqual({
      message: 'The database is unavailable; retry later',
      retryAfterSeconds: 5,
    });
    expect(temporaryUnavailability(new Error('boom'))).toBeUndefined();
  });
});
