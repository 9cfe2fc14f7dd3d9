// `pnpm rollups:rebuild [projectId]`: recomputes the hourly rollups from the raw executions, on the
// database DATABASE_URL names (or the embedded one in PROMPTLOG_DATA_DIR).
import { openDatabase } from '@promptlog/db';
import { loadConfig } from '../../config';
import { rebuildRollups } from './rollups';

const config = loadConfig();
const handle = await openDatabase(config.database);
await handle.migrate();
const projectId = process.argv[2] ?? null;
const started = performance.now();
await rebuildRollups(handle, projectId);
console.log(
  `Rebuilt the rollups of ${projectId ?? 'every project'} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
await handle.close();
