ALTER TABLE "executions" ADD COLUMN "output_chars" integer;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "finish_reason" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "json_valid" boolean;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "signals" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Adding a column with a constant default rewrites no row. ON ONLY: instant, and locks no partition; the server builds
-- each partition's index concurrently and attaches it (features/partitions/indexes.ts).
CREATE INDEX "executions_prompt_signals_idx" ON ONLY "executions" USING btree ("project_id","prompt_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "executions"."signals" <> 0;--> statement-breakpoint
CREATE INDEX "executions_project_signals_idx" ON ONLY "executions" USING btree ("project_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "executions"."signals" <> 0;