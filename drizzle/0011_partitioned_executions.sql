CREATE TABLE "execution_id_claims" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	CONSTRAINT "execution_id_claims_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
ALTER TABLE "execution_payloads" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "execution_id_claims_started_idx" ON "execution_id_claims" USING btree ("project_id","started_at");--> statement-breakpoint
-- executions and execution_payloads become tables partitioned by month of started_at. Nothing is copied: each
-- existing table is renamed and attached as the DEFAULT partition (no other partition exists yet, so PostgreSQL has
-- nothing to check), its indexes become the partitions of the parent's, so this migration takes milliseconds at any
-- size. The server then creates the monthly partitions (features/partitions) once a CHECK on the default partition
-- proves none of its rows belong to them.
ALTER TABLE "executions" RENAME TO "executions_default";--> statement-breakpoint
ALTER TABLE "executions_default" RENAME CONSTRAINT "executions_project_id_id_pk" TO "executions_default_pkey";--> statement-breakpoint
ALTER INDEX "executions_project_recent_idx" RENAME TO "executions_default_project_recent_idx";--> statement-breakpoint
ALTER INDEX "executions_prompt_recent_idx" RENAME TO "executions_default_prompt_recent_idx";--> statement-breakpoint
ALTER INDEX "executions_prompt_status_recent_idx" RENAME TO "executions_default_prompt_status_recent_idx";--> statement-breakpoint
ALTER INDEX "executions_prompt_source_recent_idx" RENAME TO "executions_default_prompt_source_recent_idx";--> statement-breakpoint
ALTER INDEX "executions_prompt_version_recent_idx" RENAME TO "executions_default_prompt_version_recent_idx";--> statement-breakpoint
ALTER INDEX "executions_prompt_problems_idx" RENAME TO "executions_default_prompt_problems_idx";--> statement-breakpoint
ALTER INDEX "executions_source_run_idx" RENAME TO "executions_default_source_run_idx";--> statement-breakpoint
ALTER INDEX "executions_trace_idx" RENAME TO "executions_default_trace_idx";--> statement-breakpoint
CREATE TABLE "executions" (LIKE "executions_default" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE ("started_at");--> statement-breakpoint
CREATE INDEX "executions_project_recent_idx" ON "executions" USING btree ("project_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_prompt_recent_idx" ON "executions" USING btree ("project_id","prompt_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_prompt_status_recent_idx" ON "executions" USING btree ("project_id","prompt_id","status","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_prompt_source_recent_idx" ON "executions" USING btree ("project_id","prompt_id","source_type","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_prompt_version_recent_idx" ON "executions" USING btree ("project_id","prompt_id","prompt_version","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_prompt_problems_idx" ON "executions" USING btree ("project_id","prompt_id","source_type","prompt_version","started_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "status" <> 'success';--> statement-breakpoint
CREATE INDEX "executions_source_run_idx" ON "executions" USING btree ("project_id","source_id") WHERE "source_id" is not null;--> statement-breakpoint
CREATE INDEX "executions_trace_idx" ON "executions" USING btree ("project_id","trace_id") WHERE "trace_id" is not null;--> statement-breakpoint
ALTER TABLE "executions" ATTACH PARTITION "executions_default" DEFAULT;--> statement-breakpoint
ALTER TABLE "execution_payloads" RENAME TO "execution_payloads_default";--> statement-breakpoint
ALTER TABLE "execution_payloads_default" RENAME CONSTRAINT "execution_payloads_project_id_execution_id_pk" TO "execution_payloads_default_pkey";--> statement-breakpoint
CREATE TABLE "execution_payloads" (LIKE "execution_payloads_default" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE ("started_at");--> statement-breakpoint
ALTER TABLE "execution_payloads" ATTACH PARTITION "execution_payloads_default" DEFAULT;
