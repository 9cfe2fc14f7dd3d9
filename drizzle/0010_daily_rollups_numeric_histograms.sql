CREATE TABLE "execution_rollups_daily" (
	"project_id" uuid NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"prompt_id" text NOT NULL,
	"prompt_version" integer NOT NULL,
	"model" text NOT NULL,
	"provider" text NOT NULL,
	"source_type" text NOT NULL,
	"status" text NOT NULL,
	"error_type" text NOT NULL,
	"location_field" text NOT NULL,
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
	"latency_histogram" numeric NOT NULL,
	CONSTRAINT "execution_rollups_daily_project_id_prompt_id_day_prompt_version_model_provider_source_type_status_error_type_location_field_pk" PRIMARY KEY("project_id","prompt_id","day","prompt_version","model","provider","source_type","status","error_type","location_field")
);
--> statement-breakpoint
CREATE TABLE "model_rollups_daily" (
	"project_id" uuid NOT NULL,
	"model" text NOT NULL,
	"day" timestamp with time zone NOT NULL,
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
	"latency_histogram" numeric NOT NULL,
	CONSTRAINT "model_rollups_daily_project_id_model_day_pk" PRIMARY KEY("project_id","model","day")
);
--> statement-breakpoint
CREATE TABLE "project_rollups_daily" (
	"project_id" uuid NOT NULL,
	"day" timestamp with time zone NOT NULL,
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
	"latency_histogram" numeric NOT NULL,
	CONSTRAINT "project_rollups_daily_project_id_day_pk" PRIMARY KEY("project_id","day")
);
--> statement-breakpoint
CREATE TABLE "prompt_rollups_daily" (
	"project_id" uuid NOT NULL,
	"prompt_id" text NOT NULL,
	"day" timestamp with time zone NOT NULL,
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
	"latency_histogram" numeric NOT NULL,
	CONSTRAINT "prompt_rollups_daily_project_id_prompt_id_day_pk" PRIMARY KEY("project_id","prompt_id","day")
);
--> statement-breakpoint
-- Histograms become one integer, the count of bucket b in the 12 decimal digits from 10^(12·b), so they add up
-- with + and sum() (see execution-rollups.ts); existing jsonb maps {bucket: count} are converted in place.
CREATE FUNCTION promptlog_histogram_from_jsonb(counts jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(sum(value::numeric * ('1e' || (12 * key::integer))::numeric), 0) FROM jsonb_each_text(counts)
$$;
--> statement-breakpoint
ALTER TABLE "execution_rollups_hourly" ALTER COLUMN "latency_histogram" SET DATA TYPE numeric USING promptlog_histogram_from_jsonb("latency_histogram");--> statement-breakpoint
ALTER TABLE "model_rollups_hourly" ALTER COLUMN "latency_histogram" SET DATA TYPE numeric USING promptlog_histogram_from_jsonb("latency_histogram");--> statement-breakpoint
ALTER TABLE "project_rollups_hourly" ALTER COLUMN "latency_histogram" SET DATA TYPE numeric USING promptlog_histogram_from_jsonb("latency_histogram");--> statement-breakpoint
ALTER TABLE "prompt_rollups_hourly" ALTER COLUMN "latency_histogram" SET DATA TYPE numeric USING promptlog_histogram_from_jsonb("latency_histogram");--> statement-breakpoint
CREATE INDEX "execution_rollups_daily_project_day_idx" ON "execution_rollups_daily" USING btree ("project_id","day");--> statement-breakpoint
CREATE INDEX "model_rollups_daily_project_day_idx" ON "model_rollups_daily" USING btree ("project_id","day");--> statement-breakpoint
CREATE INDEX "model_rollups_hourly_project_hour_idx" ON "model_rollups_hourly" USING btree ("project_id","hour");--> statement-breakpoint
CREATE INDEX "prompt_rollups_daily_project_day_idx" ON "prompt_rollups_daily" USING btree ("project_id","day");--> statement-breakpoint
CREATE INDEX "prompt_rollups_hourly_project_hour_idx" ON "prompt_rollups_hourly" USING btree ("project_id","hour");
--> statement-breakpoint
DROP FUNCTION promptlog_histogram_from_jsonb(jsonb);--> statement-breakpoint
DROP FUNCTION promptlog_merge_counts(jsonb, jsonb);--> statement-breakpoint
-- The days of the hours already rolled up; from now on the roller folds deltas into both.
INSERT INTO execution_rollups_daily (project_id, prompt_id, prompt_version, model, provider, source_type, status, error_type, location_field, day, calls, success_calls, error_calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, priced_calls, thinking_calls, latency_count, latency_sum_ms, latency_histogram)
  SELECT project_id, prompt_id, prompt_version, model, provider, source_type, status, error_type, location_field, date_trunc('day', hour, 'UTC'), sum(calls), sum(success_calls), sum(error_calls), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens), sum(cost_usd), sum(priced_calls), sum(thinking_calls), sum(latency_count), sum(latency_sum_ms), sum(latency_histogram)
  FROM execution_rollups_hourly GROUP BY project_id, prompt_id, prompt_version, model, provider, source_type, status, error_type, location_field, date_trunc('day', hour, 'UTC');
--> statement-breakpoint
INSERT INTO prompt_rollups_daily (project_id, prompt_id, day, calls, success_calls, error_calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, priced_calls, thinking_calls, latency_count, latency_sum_ms, latency_histogram)
  SELECT project_id, prompt_id, date_trunc('day', hour, 'UTC'), sum(calls), sum(success_calls), sum(error_calls), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens), sum(cost_usd), sum(priced_calls), sum(thinking_calls), sum(latency_count), sum(latency_sum_ms), sum(latency_histogram)
  FROM prompt_rollups_hourly GROUP BY project_id, prompt_id, date_trunc('day', hour, 'UTC');
--> statement-breakpoint
INSERT INTO model_rollups_daily (project_id, model, day, calls, success_calls, error_calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, priced_calls, thinking_calls, latency_count, latency_sum_ms, latency_histogram)
  SELECT project_id, model, date_trunc('day', hour, 'UTC'), sum(calls), sum(success_calls), sum(error_calls), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens), sum(cost_usd), sum(priced_calls), sum(thinking_calls), sum(latency_count), sum(latency_sum_ms), sum(latency_histogram)
  FROM model_rollups_hourly GROUP BY project_id, model, date_trunc('day', hour, 'UTC');
--> statement-breakpoint
INSERT INTO project_rollups_daily (project_id, day, calls, success_calls, error_calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, priced_calls, thinking_calls, latency_count, latency_sum_ms, latency_histogram)
  SELECT project_id, date_trunc('day', hour, 'UTC'), sum(calls), sum(success_calls), sum(error_calls), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens), sum(cost_usd), sum(priced_calls), sum(thinking_calls), sum(latency_count), sum(latency_sum_ms), sum(latency_histogram)
  FROM project_rollups_hourly GROUP BY project_id, date_trunc('day', hour, 'UTC');
