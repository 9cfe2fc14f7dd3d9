import { SAMPLE_TEXT_MAX } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { isoUtcText } from '../../lib/iso-time';

export interface SampleScan {
  projectId: string;
  promptId: string;
  a: number;
  b: number;
  from?: string;
  to?: string;
  /** The most calls read of each version. */
  scanLimit: number;
  pairs: number;
}

/** The text of a JSON payload value: a string as itself, anything else as JSON; null for none or JSON null. */
const payloadText = (column: SQL) =>
  sql`case json_typeof(${column}) when 'string' then ${column} #>> '{}' when 'null' then null else ${column}::text end`;

type Side = 'a' | 'b';
/** A column of one side of a pair, or of its payload and output joins: `a_payload`, `p.a_id`… */
const of = (side: Side, name: string) => sql.raw(name.replace('$', side));

/** One side of a pair as an object: the hot row read by the scan, its payload joined by key (none: not kept). */
function sideObject(side: Side): SQL {
  const column = (name: string) => of(side, `p.$_${name}`);
  const output = of(side, '$_output.text');
  const payload = (name: string) => of(side, `$_payload.${name}`);
  return sql`
  case when ${column('id')} is null then null else json_build_object(
    'id', ${column('id')}, 'startedAt', ${sql.raw(isoUtcText(`p.${side}_started_at`))}, 'status', ${column('status')},
    'model', ${column('model')}, 'latencyMs', ${column('latency_ms')}, 'costUsd', trim_scale(${column('cost_usd')})::text,
    'signals', ${column('signals')}, 'errorType', ${column('error_type')},
    'stored', ${payload('execution_id')} is not null,
    'output', left(${output}, ${SAMPLE_TEXT_MAX}),
    'outputTruncated', coalesce(length(${output}) > ${SAMPLE_TEXT_MAX}, false),
    'errorMessage', ${payload('error')} ->> 'message'
  ) end as ${sql.identifier(side)}`;
}

function payloadJoins(projectId: string, side: Side): SQL {
  const payload = of(side, '$_payload');
  return sql`
left join execution_payloads ${payload} on ${payload}.project_id = ${projectId}
  and ${payload}.execution_id = ${of(side, 'p.$_id')} and ${payload}.started_at = ${of(side, 'p.$_started_at')}
left join lateral (select ${payloadText(sql`${payload}.output`)} as text) ${of(side, '$_output')} on true`;
}

/**
 * Pairs of calls of versions a and b with the same inputs: each version's latest `scanLimit` calls with an inputs
 * hash (read newest first through the version index, so the read is bounded whatever the window), each side's latest
 * call per hash, the newest `pairs` pairs, and only then their payloads. One row even without a pair, for the counts.
 */
function samplesSql(scan: SampleScan): SQL {
  const window = sql.join(
    [
      scan.from ? sql` and started_at >= ${scan.from}` : undefined,
      scan.to ? sql` and started_at < ${scan.to}` : undefined,
    ].filter((part) => part !== undefined),
  );
  const scanOf = (version: number) => sql`
  select id, started_at, inputs_hash, status, model, latency_ms, cost_usd, signals, error_type from executions
  where project_id = ${scan.projectId} and prompt_id = ${scan.promptId} and prompt_version = ${version}
    and inputs_hash is not null and status <> 'pending'${window}
  -- The index's order, nulls last included (a plain "desc" is nulls first): else every matching row is read and sorted.
  order by started_at desc nulls last, id desc nulls last
  limit ${scan.scanLimit}`;
  const latest = (side: Side) =>
    sql`select distinct on (inputs_hash) * from ${sql.raw(side)} order by inputs_hash, started_at desc, id desc`;
  const pairColumns = (side: Side) =>
    sql.raw(
      ['id', 'started_at', 'status', 'model', 'latency_ms', 'cost_usd', 'signals', 'error_type']
        .map((column) => `${side}.${column} as ${side}_${column}`)
        .join(', '),
    );
  return sql`
with a as materialized (${scanOf(scan.a)}
), b as materialized (${scanOf(scan.b)}
), latest_a as (${latest('a')}
), latest_b as (${latest('b')}
), pairs as (
  select a.inputs_hash, greatest(a.started_at, b.started_at) as newest, ${pairColumns('a')}, ${pairColumns('b')}
  from latest_a a join latest_b b on b.inputs_hash = a.inputs_hash
  order by newest desc, a.inputs_hash
  limit ${scan.pairs}
), counts as (
  select (select count(*) from a)::int as scanned_a, (select count(*) from b)::int as scanned_b
)
select c.scanned_a as "scannedA", c.scanned_b as "scannedB", p.inputs_hash as "inputsHash",
  left(inputs.text, ${SAMPLE_TEXT_MAX}) as "inputs",
  coalesce(length(inputs.text) > ${SAMPLE_TEXT_MAX}, false) as "inputsTruncated",${sideObject('a')},${sideObject('b')}
from counts c
left join pairs p on true${payloadJoins(scan.projectId, 'a')}${payloadJoins(scan.projectId, 'b')}
left join lateral (select coalesce(a_payload.inputs, b_payload.inputs)::text as text) inputs on true
order by p.newest desc nulls last, p.inputs_hash`;
}

export const SampleSideRow = z.object({
  id: z.string(),
  startedAt: z.string(),
  status: z.enum(['success', 'error', 'cancelled', 'pending']),
  model: z.string(),
  latencyMs: z.number().nullable(),
  costUsd: z.string().nullable(),
  signals: z.number(),
  errorType: z.string().nullable(),
  stored: z.boolean(),
  output: z.string().nullable(),
  outputTruncated: z.boolean(),
  errorMessage: z.string().nullable(),
});
export type SampleSideRow = z.infer<typeof SampleSideRow>;

export const SampleRow = z.object({
  scannedA: z.number(),
  scannedB: z.number(),
  inputsHash: z.string().nullable(),
  inputs: z.string().nullable(),
  inputsTruncated: z.boolean(),
  a: SampleSideRow.nullable(),
  b: SampleSideRow.nullable(),
});
export type SampleRow = z.infer<typeof SampleRow>;

export function selectSamples(handle: QueryRunner, scan: SampleScan): Promise<SampleRow[]> {
  return handle.query(samplesSql(scan), SampleRow);
}
