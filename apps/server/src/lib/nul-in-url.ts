import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';

const ENCODED_NUL = /%00/i;
const MESSAGE = 'contains a NUL character (%00)';

/**
 * PostgreSQL text cannot hold a NUL character, so no stored value has one: a filter, id or path with %00 could only
 * fail in the database, and is refused up front instead, naming the query parameter it is in.
 */
export async function refuseNulInUrl(request: FastifyRequest): Promise<void> {
  if (!ENCODED_NUL.test(request.url)) return;
  const queryStart = request.url.indexOf('?');
  const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
  const issues = query
    .split('&')
    .filter((pair) => ENCODED_NUL.test(pair))
    .map((pair) => ({ path: pair.split('=')[0] || '(query)', message: MESSAGE }));
  if (ENCODED_NUL.test(path)) issues.unshift({ path: '(path)', message: MESSAGE });
  throw new AppError(
    'validation_failed',
    'The URL has a NUL character (%00), which no stored value can contain',
    issues,
  );
}
