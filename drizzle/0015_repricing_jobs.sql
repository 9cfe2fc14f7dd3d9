CREATE TABLE "repricing_jobs" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"price_id" uuid NOT NULL,
	"action" text NOT NULL,
	"model" text NOT NULL,
	"patterns" jsonb NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"total" integer,
	"processed" integer DEFAULT 0 NOT NULL,
	"repriced" integer DEFAULT 0 NOT NULL,
	"cursor" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"retry_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "repricing_jobs_project_id_id_pk" PRIMARY KEY("project_id","id"),
	CONSTRAINT "repricing_jobs_state_check" CHECK ("repricing_jobs"."state" in ('queued', 'running', 'done', 'failed')),
	CONSTRAINT "repricing_jobs_counts_check" CHECK ("repricing_jobs"."processed" >= 0 and "repricing_jobs"."repriced" >= 0 and "repricing_jobs"."repriced" <= "repricing_jobs"."processed")
);
--> statement-breakpoint
ALTER TABLE "custom_prices" ADD COLUMN "reasoning_per_million" numeric(30, 12);--> statement-breakpoint
ALTER TABLE "repricing_jobs" ADD CONSTRAINT "repricing_jobs_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "repricing_jobs_recent_idx" ON "repricing_jobs" USING btree ("project_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "repricing_jobs_pending_idx" ON "repricing_jobs" USING btree ("project_id","created_at","id") WHERE "repricing_jobs"."state" in ('queued', 'running');