CREATE TABLE "model_rollups_hourly" (
	"project_id" uuid NOT NULL,
	"model" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"calls" bigint NOT NULL,
	"success_calls" bigint DEFAULT 0 NOT NULL,
	"error_calls" bigint DEFAULT 0 NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cache_read_tokens" bigint NOT NULL,
	"cache_write_tokens" bigint NOT NULL,
	"reasoning_tokens" bigint NOT NULL,
	"cost_usd" numeric NOT NULL,
	"priced_calls" bigint NOT NULL,
	"thinking_calls" bigint NOT NULL,
	"latency_count" bigint NOT NULL,
	"latency_sum_ms" bigint NOT NULL,
	"latency_histogram" jsonb NOT NULL,
	CONSTRAINT "model_rollups_hourly_project_id_model_hour_pk" PRIMARY KEY("project_id","model","hour")
);
--> statement-breakpoint
-- Fill the new table like the others: start over from the raw executions; the server folds these
-- deltas in after it starts.
delete from execution_rollup_deltas where project_id = project_id;
--> statement-breakpoint
delete from execution_rollups_hourly where project_id = project_id;
--> statement-breakpoint
delete from prompt_rollups_hourly where project_id = project_id;
--> statement-breakpoint
delete from model_rollups_hourly where project_id = project_id;
--> statement-breakpoint
delete from project_rollups_hourly where project_id = project_id;
--> statement-breakpoint
insert into execution_rollup_deltas (project_id, hour, prompt_id, prompt_version, model, provider, source_type, status, error_type, location_field, latency_bucket, calls, success_calls, error_calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, priced_calls, thinking_calls, latency_count, latency_sum_ms)
  select e.project_id::uuid, date_trunc('hour', e.started_at, 'UTC'), e.prompt_id, coalesce(e.prompt_version, 0), e.model,
    coalesce(e.provider, ''), e.source_type, e.status, coalesce(e.error_type, ''),
    coalesce(e.location_field, ''), promptlog_latency_bucket(e.latency_ms), count(*), count(*) filter (where e.status = 'success'), count(*) filter (where e.status = 'error'),
    coalesce(sum(e.input_tokens), 0), coalesce(sum(e.output_tokens), 0),
    coalesce(sum(e.cache_read_tokens), 0), coalesce(sum(e.cache_write_tokens), 0),
    coalesce(sum(e.reasoning_tokens), 0), coalesce(sum(e.cost_usd), 0), count(e.cost_usd),
    count(*) filter (where e.has_thinking), count(e.latency_ms), coalesce(sum(e.latency_ms), 0)
  from executions e where e.project_id = e.project_id
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;
