CREATE TABLE "audit_events" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"action" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"actor_label" text NOT NULL,
	"target" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "audit_events_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "invites" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"role" text NOT NULL,
	"email" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "invites_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "prompt_access" (
	"project_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"prompt_id" text NOT NULL,
	"granted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prompt_access_project_id_user_id_prompt_id_pk" PRIMARY KEY("project_id","user_id","prompt_id")
);
--> statement-breakpoint
ALTER TABLE "execution_payloads" ADD COLUMN "redactions" json;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "retention_days" integer;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "rollup_retention_days" integer;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "payload_policy" text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "payload_sample_rate" real DEFAULT 0.1 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "redaction_builtins" text[] DEFAULT '{api_key,bearer_token,url_password,card_number}' NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "redaction_custom" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invites" ADD CONSTRAINT "invites_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_access" ADD CONSTRAINT "prompt_access_member_fk" FOREIGN KEY ("project_id","user_id") REFERENCES "public"."project_members"("project_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invites_token_key" ON "invites" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "invites_project_created_idx" ON "invites" USING btree ("project_id","created_at");--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_retention_check" CHECK ("projects"."retention_days" > 0 and "projects"."rollup_retention_days" > 0);--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_sample_rate_check" CHECK ("projects"."payload_sample_rate" between 0 and 1);--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_payload_policy_check" CHECK ("projects"."payload_policy" in ('all', 'errors_and_sampled', 'metadata_only'));