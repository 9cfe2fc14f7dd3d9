import type { Me, SetupRequest } from '@promptlog/contracts';
import { type Database, projectMembers, projects, sessions, users } from '@promptlog/db';
import { eq, sql } from 'drizzle-orm';
import { AppError } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { hashPassword, randomToken, sha256, verifyPassword } from '../../lib/secrets';
import { createApiKey } from '../api-keys/service';
import { createProject } from '../projects/service';

export async function needsSetup(db: Database): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return !row;
}

/** Creates the first admin, their project and its first API key; refused once any user exists. */
export async function createInitialAdmin(
  db: Database,
  input: SetupRequest & { apiKey?: string },
): Promise<{ userId: string; apiKey: string }> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(8412002)`);
    if (!(await needsSetup(tx))) {
      throw new AppError('setup_complete', 'Promptlog is already set up; log in instead');
    }
    const userId = await insertUser(tx, input.email, passwordHash);
    const projectId = await createProject(tx, input.projectName, userId);
    const key = await createApiKey(tx, projectId, { label: 'Default key', key: input.apiKey, createdBy: userId });
    return { userId, apiKey: key.key };
  });
}

async function insertUser(db: Database, email: string, passwordHash: string): Promise<string> {
  const id = uuidv7();
  await db.insert(users).values({ id, email: email.toLowerCase(), passwordHash });
  return id;
}

export async function createUser(db: Database, email: string, password: string): Promise<string> {
  return insertUser(db, email, await hashPassword(password));
}

export async function verifyCredentials(db: Database, email: string, password: string): Promise<string | null> {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  // Hash anyway when the user is unknown, so response time does not reveal which emails exist.
  const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return user && valid ? user.id : null;
}
const DUMMY_HASH = await hashPassword('not-a-real-password');

export async function createSession(db: Database, userId: string, days: number): Promise<string> {
  const token = randomToken();
  await db.insert(sessions).values({
    id: sha256(token),
    userId,
    expiresAt: new Date(Date.now() + days * 86_400_000),
  });
  return token;
}

export async function deleteSession(db: Database, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sha256(token)));
}

export async function findSessionUser(db: Database, token: string): Promise<{ id: string; email: string } | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(sql`${sessions.id} = ${sha256(token)} and ${sessions.expiresAt} > now()`)
    .limit(1);
  return row ?? null;
}

export async function getMe(db: Database, user: { id: string; email: string }): Promise<Me> {
  const memberships = await db
    .select({ id: projects.id, name: projects.name, role: projectMembers.role })
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(eq(projectMembers.userId, user.id))
    .orderBy(projects.createdAt);
  return { user, projects: memberships };
}
