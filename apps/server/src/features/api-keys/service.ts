import { type ApiKeyScope, ApiKeySummary, type CreatedApiKey, ProjectSettings } from '@promptlog/contracts';
import { apiKeys, type Database, type QueryRunner } from '@promptlog/db';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { isoUtcText } from '../../lib/iso-time';
import { randomToken, sha256 } from '../../lib/secrets';
import { type AuditActor, actingUserId, recordAudit } from '../audit/service';
import { CustomPriceRow } from '../pricing/resolve-cost';

export async function createApiKey(
  db: Database,
  projectId: string,
  options: { label: string; key?: string; createdBy?: string | null; scopes?: ApiKeyScope[]; expiresAt?: string },
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
    scopes: options.scopes ?? ['ingest', 'read'],
    createdBy: options.createdBy,
    expiresAt: options.expiresAt ? new Date(options.expiresAt) : undefined,
  });
  return { id, key, prefix };
}

const SELECT_KEYS = `
select k.id, k.label, k.prefix, k.scopes, u.email as "createdBy",
  ${isoUtcText('k.created_at')} as "createdAt",
  ${isoUtcText('k.last_used_at')} as "lastUsedAt",
  ${isoUtcText('k.expires_at')} as "expiresAt",
  ${isoUtcText('k.revoked_at')} as "revokedAt"
from api_keys k left join users u on u.id = k.created_by
where k.project_id = $1`;

/** Every key of a project, revoked ones included, newest first; never the key or its hash. */
export async function listApiKeys(handle: QueryRunner, projectId: string): Promise<ApiKeySummary[]> {
  return handle.query(`${SELECT_KEYS} order by k.created_at desc, k.id desc`, [projectId], ApiKeySummary);
}

export async function getApiKeySummary(handle: QueryRunner, projectId: string, id: string): Promise<ApiKeySummary> {
  const [key] = await handle.query(`${SELECT_KEYS} and k.id = $2`, [projectId, id], ApiKeySummary);
  if (!key) throw new AppError('not_found', `No API key ${id} in this project`);
  return key;
}

/** Creates a project API key and records it; the key itself is in the result only, stored as its SHA-256. */
export async function issueApiKey(
  handle: QueryRunner,
  projectId: string,
  request: { label: string; scopes: ApiKeyScope[]; expiresAt?: string },
  actor: AuditActor,
): Promise<CreatedApiKey> {
  return handle.transaction(async (tx) => {
    const key = await createApiKey(tx.db, projectId, { ...request, createdBy: actingUserId(actor) });
    await recordAudit(tx.db, projectId, {
      action: 'api_key.created',
      actor,
      target: request.label,
      details: { keyId: key.id, prefix: key.prefix, scopes: request.scopes, expiresAt: request.expiresAt ?? null },
    });
    return { apiKey: await getApiKeySummary(tx, projectId, key.id), key: key.key };
  });
}

/** Revokes a key and records it; every process's key cache forgets it at commit (see ApiKeyCache). */
export async function revokeApiKey(
  handle: QueryRunner,
  projectId: string,
  id: string,
  actor: AuditActor,
): Promise<void> {
  await handle.db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.projectId, projectId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ label: apiKeys.label });
    if (!revoked) throw new AppError('not_found', `No active API key ${id} in this project`);
    await recordAudit(tx, projectId, {
      action: 'api_key.revoked',
      actor,
      target: revoked.label,
      details: { keyId: id },
    });
  });
}

const FIND_ACTIVE_KEY = `
select k.project_id as "projectId", k.id, k.label, k.scopes,
  ${isoUtcText('k.expires_at')} as "expiresAt",
  json_build_object(
    'payloadPolicy', pr.payload_policy, 'payloadSampleRate', pr.payload_sample_rate,
    'redaction', json_build_object('builtins', pr.redaction_builtins, 'custom', pr.redaction_custom)
  ) as storage,
  coalesce((
    select json_agg(json_build_object(
      'id', p.id, 'model', p.model, 'match', p.match,
      'effectiveFrom', ${isoUtcText('p.effective_from')},
      'createdAt', ${isoUtcText('p.created_at')},
      'inputPerMillion', trim_scale(p.input_per_million)::text,
      'outputPerMillion', trim_scale(p.output_per_million)::text,
      'cacheReadPerMillion', trim_scale(p.cache_read_per_million)::text,
      'cacheWritePerMillion', trim_scale(p.cache_write_per_million)::text,
      'reasoningPerMillion', trim_scale(p.reasoning_per_million)::text))
    from custom_prices p where p.project_id = k.project_id
  ), '[]') as "customPrices"
from api_keys k
join projects pr on pr.id = k.project_id
where k.key_hash = $1 and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
limit 1`;

export const StoragePolicy = ProjectSettings.pick({ payloadPolicy: true, payloadSampleRate: true, redaction: true });
export type StoragePolicy = z.infer<typeof StoragePolicy>;

export const ActiveApiKey = z.object({
  projectId: z.string(),
  id: z.string(),
  label: z.string(),
  scopes: z.array(z.string()),
  /** When the key stops working, if it expires (ISO 8601, UTC). */
  expiresAt: z.string().nullable(),
  /** The project's custom prices, read in the same round trip: ingestion prices every record with them. */
  customPrices: z.array(CustomPriceRow),
  /** What the project keeps of each execution, read in the same round trip too. */
  storage: StoragePolicy,
});
export type ActiveApiKey = z.infer<typeof ActiveApiKey>;

/** The key's project and what every API request of that project needs, in one round trip. */
export async function findActiveApiKey(handle: QueryRunner, key: string): Promise<ActiveApiKey | null> {
  return findActiveApiKeyByHash(handle, sha256(key));
}

export async function findActiveApiKeyByHash(handle: QueryRunner, keyHash: string): Promise<ActiveApiKey | null> {
  const [row] = await handle.query(FIND_ACTIVE_KEY, [keyHash], ActiveApiKey);
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
