import { openDatabase } from '@promptlog/db';

/** With a real Postgres, migrate it once before the test files run in parallel. */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const handle = await openDatabase({ kind: 'postgres', url });
  await handle.migrate();
  await handle.close();
}
