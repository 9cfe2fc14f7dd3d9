import type { Me, SetupRequest } from '@promptlog/contracts';
import { type Database, type DatabaseHandle, sessions, users } from '@promptlog/db';
import { and, eq, ne, sql } from 'drizzle-orm';
import { AppError } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { hashPassword, randomToken, sha256, verifyPassword } from '../../lib/secrets';
import { loadUserProjects } from '../access/memberships';
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

export async function findUserByEmail(db: Database, email: string): Promise<{ id: string; email: string } | null> {
  const [user] = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  return user ?? null;
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

/** Ends every session of a user, or every one but `keepToken`'s. */
export async function deleteUserSessions(db: Database, userId: string, keepToken?: string): Promise<void> {
  const others = keepToken ? ne(sessions.id, sha256(keepToken)) : undefined;
  await db.delete(sessions).where(and(eq(sessions.userId, userId), others));
}

/** Checks the current password, stores the new one and ends the user's other sessions. */
export async function changePassword(
  db: Database,
  user: { id: string; email: string },
  sessionToken: string,
  passwords: { currentPassword: string; newPassword: string },
): Promise<void> {
  if (!(await verifyCredentials(db, user.email, passwords.currentPassword))) {
    throw new AppError('validation_failed', 'The current password is wrong', [
      { path: 'currentPassword', message: 'is not your current password' },
    ]);
  }
  const passwordHash = await hashPassword(passwords.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await deleteUserSessions(tx, user.id, sessionToken);
  });
}

/** The CSRF token of a session: derived from its secret token, so it needs no storage and dies with the session. */
export function csrfTokenFor(sessionToken: string): string {
  return sha256(`promptlog-csrf:${sessionToken}`);
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

export async function getMe(
  handle: DatabaseHandle,
  user: { id: string; email: string },
  sessionToken: string,
): Promise<Me> {
  const { projects } = await loadUserProjects(handle, user.id);
  return { user, projects, csrfToken: csrfTokenFor(sessionToken) };
}
