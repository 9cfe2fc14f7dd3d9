import { apiKeys, type Database } from '@promptlog/db';
import { and, eq, sql } from 'drizzle-orm';
import { uuidv7 } from '../../lib/ids';
import { randomToken, sha256 } from '../../lib/secrets';

export interface ActiveApiKey {
  projectId: string;
  id: string;
  label: string;
  scopes: string[];
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

export async function findActiveApiKey(db: Database, key: string): Promise<ActiveApiKey | null> {
  const [row] = await db
    .select({ projectId: apiKeys.projectId, id: apiKeys.id, label: apiKeys.label, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.keyHash, sha256(key)),
        sql`${apiKeys.revokedAt} is null`,
        sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now())`,
      ),
    )
    .limit(1);
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
