import { type Database, projectMembers, projects } from '@promptlog/db';
import { uuidv7 } from '../../lib/ids';

export async function createProject(db: Database, name: string, adminUserId?: string): Promise<string> {
  const projectId = uuidv7();
  await db.insert(projects).values({ id: projectId, name });
  if (adminUserId) await db.insert(projectMembers).values({ projectId, userId: adminUserId, role: 'admin' });
  return projectId;
}
