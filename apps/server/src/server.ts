import type { Server } from 'node:http';
import { openDatabase } from '@promptlog/db';
import { buildApp } from './app';
import { loadConfig } from './config';
import { applyInitialSetup } from './features/bootstrap/service';
import { closeHealthProbes, listenForHealthProbes } from './features/health/probe-listener';
import { limitHeapGrowth } from './lib/heap-growth';

const config = loadConfig();
limitHeapGrowth(config.heapGrowthPercent);
const database = await openDatabase(config.database);
await database.migrate();
const app = await buildApp(config, database);

if (config.initialSetup) {
  const outcome = await applyInitialSetup(database.db, config.initialSetup);
  app.log.info(
    `initial setup: ${outcome === 'created' ? 'created admin, project and API key' : 'already set up, nothing changed'}`,
  );
}

let healthProbes: Server | undefined;
let closing = false;
/**
 * Stops accepting connections, lets in-flight requests finish and the background jobs stop (app.close), then closes
 * the database. Past PROMPTLOG_SHUTDOWN_TIMEOUT_MS the process exits anyway: an orchestrator kills it soon after.
 */
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info(`${signal} received: finishing in-flight requests (at most ${config.shutdownTimeoutMs} ms)`);
  const deadline = setTimeout(() => {
    app.log.error(`requests still in flight after ${config.shutdownTimeoutMs} ms; exiting anyway`);
    process.exit(1);
  }, config.shutdownTimeoutMs);
  deadline.unref();
  try {
    if (healthProbes) await closeHealthProbes(healthProbes);
    await app.close();
    await database.close();
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'unclean shutdown');
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
if (config.healthPort) {
  healthProbes = await listenForHealthProbes(app, config.host, config.healthPort);
  app.log.info(`health probes answered on port ${config.healthPort} too (GET /api/health)`);
}
app.log.info(
  `Promptlog is running at http://localhost:${config.port} (database: ${database.kind === 'embedded' ? `embedded, ${config.database.kind === 'embedded' ? config.database.dataDir : ''}` : 'postgres'})`,
);
