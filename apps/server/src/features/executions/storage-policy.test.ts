import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { keepsPayload } from './storage-policy';

describe('payload sampling', () => {
  it('keeps the sampled share of ids made one after another, and decides the same way for the same id', () => {
    const at = Date.now();
    const ids = Array.from({ length: 10_000 }, () => uuidv7(at));
    for (const rate of [0.1, 0.25, 0.5, 0.9]) {
      const kept = ids.filter((id) => keepsPayload('errors_and_sampled', rate, id, 'success')).length;
      expect(Math.abs(kept / ids.length - rate), `rate ${rate}`).toBeLessThan(0.025);
    }
    for (const id of ids.slice(0, 100)) {
      expect(keepsPayload('errors_and_sampled', 0.5, id, 'success')).toBe(
        keepsPayload('errors_and_sampled', 0.5, id, 'success'),
      );
    }
    expect(keepsPayload('errors_and_sampled', 0, ids[0] as string, 'error')).toBe(true);
  });
});
