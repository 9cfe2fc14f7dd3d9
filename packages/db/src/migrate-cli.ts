import { openDatabase } from './client';

const url = process.env.DATABASE_URL;
const handle = await openDatabase(
  url ? { kind: 'postgres', url } : { kind: 'embedded', dataDir: process.env.PROMPTLOG_DATA_DIR ?? '.promptlog/data' },
);
await handle.migrate();
console.log(`migrations applied (${handle.kind})`);
await handle.close();
