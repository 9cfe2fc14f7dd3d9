import { ProjectSummary } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { z } from 'zod';
import type { Membership } from './policy';

const SELECT_MEMBERSHIPS = `
select p.id, p.name, m.role, p.retention_days as "retentionDays",
  coalesce((select array_agg(a.prompt_id order by a.prompt_id) from prompt_access a
            where a.project_id = m.project_id and a.user_id = m.user_id), '{}') as "promptAccess"
from project_members m
join projects p on p.id = m.project_id
where m.user_id = $1
order by p.created_at`;
const MembershipRow = ProjectSummary.extend({ promptAccess: z.array(z.string()) });

export interface UserProjects {
  projects: ProjectSummary[];
  memberships: Map<string, Membership>;
}

/** Every project of a user with their role and prompt grants, in one round trip. */
export async function loadUserProjects(handle: QueryRunner, userId: string): Promise<UserProjects> {
  const rows = await handle.query(SELECT_MEMBERSHIPS, [userId], MembershipRow);
  return {
    projects: rows.map(({ promptAccess: _, ...project }) => project),
    memberships: new Map(rows.map((r) => [r.id, { role: r.role, promptAccess: r.promptAccess }])),
  };
}
