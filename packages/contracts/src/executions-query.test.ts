import { describe, expect, it } from 'vitest';
import { ListExecutionsQuery } from './executions-query';

describe('ListExecutionsQuery', () => {
  it('turns single and repeated filters into lists and collects meta.<key> filters', () => {
    const query = ListExecutionsQuery.parse({
      status: ['error', 'cancelled'],
      source: 'workflow',
      version: '3',
      'meta.tenant': 'acme',
      'meta.region': ['eu', 'us'],
    });
    expect(query).toMatchObject({ status: ['error', 'cancelled'], source: ['workflow'], version: [3], limit: 50 });
    expect(query.metadata).toEqual([
      { key: 'tenant', value: 'acme' },
      { key: 'region', value: 'eu' },
      { key: 'region', value: 'us' },
    ]);
  });

  it('names bad values and unknown filters', () => {
    const badValues = ListExecutionsQuery.safeParse({ status: 'exploded', limit: '1000' });
    expect(badValues.error?.issues.map((i) => i.path.join('.'))).toEqual(['status', 'limit']);
    const unknown = ListExecutionsQuery.safeParse({ stauts: 'error' });
    expect(unknown.error?.issues).toEqual([
      expect.objectContaining({ path: ['stauts'], message: 'is not a known filter (use meta.<key> for metadata)' }),
    ]);
  });
});
