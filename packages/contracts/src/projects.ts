import { z } from 'zod';
import { CreatedApiKey } from './api-keys';
import { ProjectSummary } from './auth';
import { StorableText } from './common';

export const ProjectName = StorableText.trim().min(1, 'enter a name').max(100);

export const CreateProjectRequest = z.object({ name: ProjectName });
export type CreateProjectRequest = z.infer<typeof CreateProjectRequest>;

export const RenameProjectRequest = z.object({ name: ProjectName });
export type RenameProjectRequest = z.infer<typeof RenameProjectRequest>;

export const ProjectParams = z.object({ projectId: z.uuid() });
export type ProjectParams = z.infer<typeof ProjectParams>;

export const CreatedProject = z.object({
  project: ProjectSummary.describe('The new project; its creator is its admin'),
  apiKey: CreatedApiKey.describe('The project’s first API key; the key itself is in this response only'),
});
export type CreatedProject = z.infer<typeof CreatedProject>;
