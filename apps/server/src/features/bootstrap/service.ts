import type { Database } from '@promptlog/db';
import type { InitialSetup } from '../../config';
import { createInitialAdmin, needsSetup } from '../auth/service';

/** Headless first start: creates the configured admin, project and key once; later starts change nothing. */
export async function applyInitialSetup(db: Database, setup: InitialSetup): Promise<'created' | 'already-set-up'> {
  if (!(await needsSetup(db))) return 'already-set-up';
  try {
    await createInitialAdmin(
      db,
      {
        email: setup.adminEmail,
        password: setup.adminPassword,
        projectName: setup.projectName,
        apiKey: setup.apiKey,
      },
      'headless',
    );
    return 'created';
  } catch (error) {
    // Another process started at the same moment and won the race.
    if (!(await needsSetup(db))) return 'already-set-up';
    throw error;
  }
}
