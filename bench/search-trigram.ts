// `pnpm bench:search-trigram`: what a trigram index (pg_trgm, GIN) would cost and give for the Logs tab's text
// search, against the bounded scan the server runs. In a local PostgreSQL database of its own (dropped at the end)
// it stores payload-sized documents of realistic text in many scripts (the redaction corpus: prose, chat, JSON,
// logs, code, ids, hashes), then reports the text's size and the index's, the index's build time, what it adds to
// each insert, and the latency of hits and misses, Latin and CJK, with the index and with a scan bounded to the
// newest N documents.

import { generateNonSecretCorpus } from '../apps/server/src/features/redaction/corpus/non-secrets';
import { openDatabase } from '../packages/db/src/client';
import { envNumber, fmt, median, percentile, table } from './harness';

const settings = {
  documents: Math.round(envNumber('BENCH_TRIGRAM_DOCUMENTS', 100_000)),
  documentBytes: Math.round(envNumber('BENCH_TRIGRAM_DOCUMENT_BYTES', 2_500)),
  /** The server's default search budget (PROMPTLOG_SEARCH_SCAN_EXECUTIONS). */
  scanBudget: Math.round(envNumber('PROMPTLOG_SEARCH_SCAN_EXECUTIONS', 5_000)),
  inserts: Math.round(envNumber('BENCH_TRIGRAM_INSERTS', 5_000)),
  samples: Math.round(envNumber('BENCH_TRIGRAM_SAMPLES', 15)),
};
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'promptlog_bench_trigram';

function* documents(seed: number, count: number): Generator<string> {
  const corpus = generateNonSecretCorpus({ seed, bytes: Number.MAX_SAFE_INTEGER });
  for (let made = 0; made < count; made++) {
    let text = '';
    while (Buffer.byteLength(text) < settings.documentBytes) text += `${corpus.next().value} `;
    // Cut to the payload size; a character the cut splits is dropped, not stored half.
    yield Buffer.from(text)
      .subarray(0, settings.documentBytes)
      .toString()
      .replace(/\uFFFD$/, '');
  }
}

async function main() {
  const admin = await openDatabase({ kind: 'postgres', url: adminUrl, poolSize: 1 });
  await admin.query(`drop database if exists ${DATABASE} with (force)`);
  await admin.query(`create database ${DATABASE}`);
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  const db = await openDatabase({ kind: 'postgres', url: url.href, poolSize: 2 });
  try {
    await db.query('create extension if not exists pg_trgm');
    await db.query('create table docs (id bigserial primary key, body text not null)');

    let started = performance.now();
    const batch: string[] = [];
    const insertDocuments = (texts: string[]) => db.query('insert into docs (body) select unnest($1::text[])', [texts]);
    const flush = async () => {
      await insertDocuments(batch);
      batch.length = 0;
    };
    for (const text of documents(1, settings.documents)) {
      batch.push(text);
      if (batch.length === 500) await flush();
    }
    if (batch.length) await flush();
    await db.query('vacuum analyze docs');
    const loadSeconds = (performance.now() - started) / 1000;
    const [sizes] = await db.query<{ text_mb: number; table_mb: number }>(
      `select sum(octet_length(body))::float8 / 1048576 as text_mb,
              pg_total_relation_size('docs')::float8 / 1048576 as table_mb from docs`,
    );

    started = performance.now();
    await db.query('set maintenance_work_mem = $$256MB$$');
    await db.query('create index docs_body_trgm on docs using gin (lower(body) gin_trgm_ops)');
    const buildSeconds = (performance.now() - started) / 1000;
    const [index] = await db.query<{ index_mb: number }>(
      `select pg_relation_size('docs_body_trgm')::float8 / 1048576 as index_mb`,
    );

    // Terms drawn from the stored text, so a hit is a real hit; a miss is text no document holds.
    const [latinHit] = await db.query<{ term: string }>(
      `select lower(substring(body from '[A-Za-z]{9,}')) as term from docs where id = 777`,
    );
    const [cjkHit] = await db.query<{ term: string | null }>(
      `select substring(body from '[一-龯ぁ-んァ-ン]{3,}') as term from docs
       where body ~ '[一-龯ぁ-んァ-ン]{3,}' order by id desc limit 1`,
    );
    const terms: [string, string][] = [
      ['Latin, hit', latinHit?.term ?? 'thermostat'],
      ['Latin, miss', 'zqxjvbw'],
      ['CJK, hit', cjkHit?.term ?? '加湿器'],
      ['CJK, miss', '鳩蘭蕪'],
    ];
    const [{ id: newest } = { id: 0 }] = await db.query<{ id: number }>('select max(id)::int as id from docs');

    const time = async (sql: string, params: unknown[]) => {
      const ms: number[] = [];
      let rows = 0;
      for (let i = 0; i < settings.samples; i++) {
        const begin = performance.now();
        rows = (await db.query(sql, params)).length;
        ms.push(performance.now() - begin);
      }
      return { median: median(ms), p95: percentile(ms, 95), rows };
    };
    const LIKE = `lower(body) like '%' || lower($1) || '%'`;
    const rows: string[][] = [];
    for (const [label, term] of terms) {
      const indexed = await time(`select id from docs where ${LIKE} order by id desc limit 50`, [term]);
      const bounded = await time(
        `select id from docs where id > $2 and strpos(lower(body), lower($1)) > 0 order by id desc limit 50`,
        [term, newest - settings.scanBudget],
      );
      rows.push([
        `${label} (${term})`,
        `${fmt(indexed.median, 1)} / ${fmt(indexed.p95, 1)}`,
        String(indexed.rows),
        `${fmt(bounded.median, 1)} / ${fmt(bounded.p95, 1)}`,
        String(bounded.rows),
      ]);
    }

    // What the index adds to each insert: the same documents in batches of 100, with the index and without it.
    const insertMs = async () => {
      const extra = [...documents(2, settings.inserts)];
      const begin = performance.now();
      for (let i = 0; i < extra.length; i += 100) {
        await insertDocuments(extra.slice(i, i + 100));
      }
      return (performance.now() - begin) / extra.length;
    };
    const withIndex = await insertMs();
    await db.query('drop index docs_body_trgm');
    const withoutIndex = await insertMs();

    const sizeRow = (label: string, mb = 0) => [label, fmt(mb), `${fmt((mb * 1e6) / settings.documents / 1024, 2)} GB`];
    console.log(
      `\n${settings.documents.toLocaleString('en')} documents of ≥ ${settings.documentBytes} bytes loaded in ${fmt(loadSeconds, 1)} s`,
    );
    console.log(
      table([
        ['', 'MB', 'per million documents'],
        sizeRow('text', sizes?.text_mb),
        sizeRow('table (heap + TOAST)', sizes?.table_mb),
        sizeRow('trigram index', index?.index_mb),
      ]),
    );
    console.log(`index build: ${fmt(buildSeconds, 1)} s`);
    console.log(
      `insert, batches of 100: ${fmt(withIndex, 2)} ms per document with the index, ${fmt(withoutIndex, 2)} ms without (${fmt(withIndex / withoutIndex, 1)}×)`,
    );
    console.log(
      table([
        [
          'term',
          'trigram index: median / p95 ms',
          'rows',
          `scan of the newest ${settings.scanBudget}: median / p95 ms`,
          'rows',
        ],
        ...rows,
      ]),
    );
  } finally {
    await db.close();
    await admin.query(`drop database if exists ${DATABASE} with (force)`);
    await admin.close();
  }
}

await main();
