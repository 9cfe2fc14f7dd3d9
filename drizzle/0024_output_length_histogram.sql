ALTER TABLE "execution_rollup_deltas" ADD COLUMN "output_chars_bucket" integer;--> statement-breakpoint
ALTER TABLE "execution_rollups_daily" ADD COLUMN "output_chars_histogram" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "execution_rollups_hourly" ADD COLUMN "output_chars_histogram" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_rollups_daily" ADD COLUMN "output_chars_histogram" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_rollups_hourly" ADD COLUMN "output_chars_histogram" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "project_rollups_daily" ADD COLUMN "output_chars_histogram" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "project_rollups_hourly" ADD COLUMN "output_chars_histogram" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "prompt_rollups_daily" ADD COLUMN "output_chars_histogram" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "prompt_rollups_hourly" ADD COLUMN "output_chars_histogram" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
-- Log-scale answer-length bucket, as promptlog_latency_bucket: 0 for an empty answer, then b covers
-- [1.1^(b-1), 1.1^b) characters, so a percentile read back at the bucket's geometric middle is within about 5%
-- (a million characters is bucket 145).
CREATE OR REPLACE FUNCTION promptlog_output_chars_bucket(output_chars integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN output_chars IS NULL THEN NULL WHEN output_chars < 1 THEN 0
    ELSE 1 + floor(ln(output_chars) / ln(1.1))::integer END
$$;
