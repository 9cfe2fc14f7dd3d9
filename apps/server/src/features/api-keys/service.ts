import { apiKeys, type Database, type DatabaseHandle } from '@promptlog/db';
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '../../lib/ids';
import { randomToken, sha256 } from '../../lib/secrets';
import type { CustomPriceRow } from '../pricing/resolve-cost';

export interface ActiveApiKey {
  projectId: string;
  id: string;
  label: string;
  scopes: string[];
  /** The project's custom prices, read in the same round trip: ingestion prices every record with them. */
  customPrices: CustomPriceRow[];
}

export async function createApiKey(
  db: Database,
  projectId: string,
  options: { label: string; key?: string; createdBy?: string },
): Promise<{ id: string; key: string; prefix: string }> {
  const key = options.key ?? randomToken('pl_');
  const id = uuidv7();
  const prefix = key.slice(0, 10);
  await db.insert(apiKeys).values({
    projectId,
    id,
    label: options.label,
    prefix,
    keyHash: sha256(key),
    createdBy: options.createdBy,
  });
  return { id, key, prefix };
}

const FIND_ACTIVE_KEY = `
select k.project_id as "projectId", k.id, k.label, k.scopes,
  coalesce((
    select json_agg(json_build_object(
      'id', p.id, 'model', p.model, 'match', p.match,
      'effectiveFrom', to_char(p.effective_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'createdAt', to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'inputPerMillion', trim_scale(p.input_per_million)::text,
      'outputPerMillion', trim_scale(p.output_per_million)::text,
      'cacheReadPerMillion', trim_scale(p.cache_read_per_million)::text,
      'cacheWritePerMillion', trim_scale(p.cache_write_per_million)::text))
    from custom_prices p where p.project_id = k.project_id
  ), '[]') as "customPrices"
from api_keys k
where k.key_hash = $1 and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
limit 1`;

/** The key's project and what every API request of that project needs, in one round trip. */
export async function findActiveApiKey(handle: DatabaseHandle, key: string): Promise<ActiveApiKey | null> {
  const [row] = await handle.query<ActiveApiKey>(FIND_ACTIVE_KEY, [sha256(key)]);
  return row ?? null;
}

const lastTouched = new Map<string, number>();
const TOUCH_INTERVAL_MS = 60_000;

/** Records when a key was last used, at most once a minute per key, off the request's critical path. */
export function touchApiKey(db: Database, key: ActiveApiKey, onError: (error: unknown) => void): void {
  const now = Date.now();
  if (now - (lastTouched.get(key.id) ?? 0) < TOUCH_INTERVAL_MS) return;
  lastTouched.set(key.id, now);
  db.update(apiKeys)
    .set({ lastUsedAt: new Date(now) })
    .where(and(eq(apiKeys.projectId, key.projectId), eq(apiKeys.id, key.id)))
    .catch(onError);
}
