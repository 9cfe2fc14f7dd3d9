CREATE TABLE "execution_rollup_deltas" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "execution_rollup_deltas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"prompt_id" text NOT NULL,
	"prompt_version" integer NOT NULL,
	"model" text NOT NULL,
	"provider" text NOT NULL,
	"source_type" text NOT NULL,
	"status" text NOT NULL,
	"error_type" text NOT NULL,
	"location_field" text NOT NULL,
	"calls" bigint NOT NULL,
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
	"latency_bucket" integer,
	CONSTRAINT "execution_rollup_deltas_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "execution_rollups_hourly" (
	"project_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"prompt_id" text NOT NULL,
	"prompt_version" integer NOT NULL,
	"model" text NOT NULL,
	"provider" text NOT NULL,
	"source_type" text NOT NULL,
	"status" text NOT NULL,
	"error_type" text NOT NULL,
	"location_field" text NOT NULL,
	"calls" bigint NOT NULL,
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
	CONSTRAINT "execution_rollups_hourly_project_id_prompt_id_hour_prompt_version_model_provider_source_type_status_error_type_location_field_pk" PRIMARY KEY("project_id","prompt_id","hour","prompt_version","model","provider","source_type","status","error_type","location_field")
);
--> statement-breakpoint
CREATE INDEX "execution_rollups_hourly_project_hour_idx" ON "execution_rollups_hourly" USING btree ("project_id","hour");--> statement-breakpoint
-- Log-scale latency bucket: 0 below 1 ms, then b covers [1.1^(b-1), 1.1^b) ms, so a percentile read
-- back at the bucket's geometric middle is within about 5%.
CREATE OR REPLACE FUNCTION promptlog_latency_bucket(latency_ms integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN latency_ms IS NULL THEN NULL WHEN latency_ms < 1 THEN 0
    ELSE 1 + floor(ln(latency_ms) / ln(1.1))::integer END
$$;
--> statement-breakpoint
-- Adds two {bucket: count} maps, dropping buckets that come to zero.
CREATE OR REPLACE FUNCTION promptlog_merge_counts(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(key, total), '{}'::jsonb) FROM (
    SELECT key, sum(value::bigint) AS total
    FROM (SELECT * FROM jsonb_each_text(coalesce(a, '{}'::jsonb)) UNION ALL SELECT * FROM jsonb_each_text(coalesce(b, '{}'::jsonb))) e
    GROUP BY key
  ) s WHERE total <> 0
$$;
