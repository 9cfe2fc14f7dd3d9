import type { QueryRunner } from '@promptlog/db';

/** Stores trace steps; a step sent again (an exporter's retry) is left as it was. */
const INSERT_TRACE_STEPS = `
insert into trace_spans (project_id, trace_id, span_id, parent_span_id, name, kind, service_name, started_at, ended_at,
  status, status_message, attributes)
select $2::uuid, trace_id, span_id, parent_span_id, name, kind, service_name, started_at, ended_at, status,
  status_message, attributes
from json_to_recordset($1::json) as x(trace_id text, span_id text, parent_span_id text, name text, kind text,
  service_name text, started_at timestamptz, ended_at timestamptz, status text, status_message text, attributes json)
on conflict (project_id, trace_id, span_id) do nothing`;

export async function insertTraceSteps(handle: QueryRunner, projectId: string, rowsJson: string): Promise<void> {
  await handle.query(INSERT_TRACE_STEPS, [rowsJson, projectId]);
}
