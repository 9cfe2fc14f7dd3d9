CREATE TABLE "prompt_versions" (
	"project_id" uuid NOT NULL,
	"prompt_id" text NOT NULL,
	"version" integer NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prompt_versions_project_id_prompt_id_version_pk" PRIMARY KEY("project_id","prompt_id","version")
);
--> statement-breakpoint
CREATE INDEX "executions_prompt_status_recent_idx" ON "executions" USING btree ("project_id","prompt_id","status","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_prompt_source_recent_idx" ON "executions" USING btree ("project_id","prompt_id","source_type","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_prompt_version_recent_idx" ON "executions" USING btree ("project_id","prompt_id","prompt_version","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_source_run_idx" ON "executions" USING btree ("project_id","source_id") WHERE "executions"."source_id" is not null;--> statement-breakpoint
INSERT INTO "prompt_versions" ("project_id", "prompt_id", "version", "first_seen_at")
SELECT "project_id", "prompt_id", "prompt_version", min("started_at") FROM "executions"
WHERE "prompt_version" IS NOT NULL GROUP BY 1, 2, 3 ON CONFLICT DO NOTHING;
