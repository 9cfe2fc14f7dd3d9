CREATE TABLE "api_keys" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"label" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" text[] DEFAULT '{"ingest","read"}' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_project_id_id_pk" PRIMARY KEY("project_id","id"),
	CONSTRAINT "api_keys_project_hash_key" UNIQUE("project_id","key_hash")
);
--> statement-breakpoint
CREATE TABLE "custom_prices" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"model" text NOT NULL,
	"match" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"input_per_million" numeric(30, 12) NOT NULL,
	"output_per_million" numeric(30, 12) NOT NULL,
	"cache_read_per_million" numeric(30, 12),
	"cache_write_per_million" numeric(30, 12),
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_prices_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "execution_payloads" (
	"project_id" uuid NOT NULL,
	"execution_id" uuid NOT NULL,
	"inputs" jsonb,
	"request" jsonb,
	"output" jsonb,
	"error" jsonb,
	"thinking" jsonb,
	"tool_calls" jsonb,
	CONSTRAINT "execution_payloads_project_id_execution_id_pk" PRIMARY KEY("project_id","execution_id")
);
--> statement-breakpoint
CREATE TABLE "executions" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"prompt_id" text NOT NULL,
	"prompt_version" integer,
	"status" text NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text,
	"source_url" text,
	"model" text NOT NULL,
	"provider" text,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"latency_ms" integer,
	"time_to_first_token_ms" integer,
	"input_tokens" integer,
	"output_tokens" integer,
	"cache_read_tokens" integer,
	"cache_write_tokens" integer,
	"reasoning_tokens" integer,
	"cost_usd" numeric,
	"cost_origin" text NOT NULL,
	"cost_price_ref" text,
	"error_type" text,
	"user_email" text,
	"user_id" text,
	"access_key" text,
	"request_id" text,
	"attempt" integer,
	"generation" integer,
	"triggered_by" text,
	"location_node" text,
	"location_field" text,
	"trace_id" text,
	"trace_parent_id" text,
	"trace_step_index" integer,
	"trace_step_type" text,
	"tags" text[],
	"metadata" jsonb,
	"environment" text,
	"has_thinking" boolean DEFAULT false NOT NULL,
	"tool_call_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "executions_project_id_id_pk" PRIMARY KEY("project_id","id"),
	CONSTRAINT "executions_tokens_check" CHECK ("executions"."cache_read_tokens" + "executions"."cache_write_tokens" <= "executions"."input_tokens" and "executions"."reasoning_tokens" <= "executions"."output_tokens"
        and "executions"."input_tokens" >= 0 and "executions"."output_tokens" >= 0 and "executions"."cache_read_tokens" >= 0
        and "executions"."cache_write_tokens" >= 0 and "executions"."reasoning_tokens" >= 0),
	CONSTRAINT "executions_cost_check" CHECK ("executions"."cost_usd" >= 0),
	CONSTRAINT "executions_status_check" CHECK ("executions"."status" in ('success', 'error', 'cancelled', 'pending')),
	CONSTRAINT "executions_source_type_check" CHECK ("executions"."source_type" in ('chat', 'workflow', 'api', 'playground', 'project_tool', 'mcp')),
	CONSTRAINT "executions_cost_origin_check" CHECK ("executions"."cost_origin" in ('provided', 'catalog', 'custom', 'none'))
);
--> statement-breakpoint
CREATE TABLE "project_members" (
	"project_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_members_project_id_user_id_pk" PRIMARY KEY("project_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prompts" (
	"project_id" uuid NOT NULL,
	"id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prompts_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_prices" ADD CONSTRAINT "custom_prices_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_hash_idx" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "custom_prices_model_idx" ON "custom_prices" USING btree ("project_id","model");--> statement-breakpoint
CREATE INDEX "executions_prompt_recent_idx" ON "executions" USING btree ("project_id","prompt_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_project_recent_idx" ON "executions" USING btree ("project_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "executions_trace_idx" ON "executions" USING btree ("project_id","trace_id") WHERE "executions"."trace_id" is not null;--> statement-breakpoint
CREATE INDEX "project_members_user_idx" ON "project_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));