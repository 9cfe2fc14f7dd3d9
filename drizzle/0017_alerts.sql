CREATE TABLE "alert_deliveries" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"event_id" uuid,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"status_code" integer,
	"error" text,
	"next_attempt_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_deliveries_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "alert_events" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"rule_name" text NOT NULL,
	"subject" text NOT NULL,
	"measure" text NOT NULL,
	"fired_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"numbers" jsonb NOT NULL,
	"link" text NOT NULL,
	CONSTRAINT "alert_events_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "alert_reads" (
	"project_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"read_through" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_reads_project_id_user_id_pk" PRIMARY KEY("project_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"measure" text NOT NULL,
	"prompt_id" text,
	"prompt_version" integer,
	"source_type" text,
	"model" text,
	"window_hours" integer NOT NULL,
	"min_calls" integer NOT NULL,
	"condition" text NOT NULL,
	"threshold" double precision,
	"builtin" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"webhook_url" text,
	"webhook_secret" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_rules_project_id_id_pk" PRIMARY KEY("project_id","id"),
	CONSTRAINT "alert_rules_builtin_key" UNIQUE("project_id","builtin"),
	CONSTRAINT "alert_rules_name_check" CHECK (char_length("alert_rules"."name") between 1 and 100),
	CONSTRAINT "alert_rules_window_check" CHECK ("alert_rules"."window_hours" between 1 and 720),
	CONSTRAINT "alert_rules_min_calls_check" CHECK ("alert_rules"."min_calls" between 1 and 1000000),
	CONSTRAINT "alert_rules_webhook_check" CHECK (("alert_rules"."webhook_url" is null) = ("alert_rules"."webhook_secret" is null))
);
--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_rule_fk" FOREIGN KEY ("project_id","rule_id") REFERENCES "public"."alert_rules"("project_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_rule_fk" FOREIGN KEY ("project_id","rule_id") REFERENCES "public"."alert_rules"("project_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_reads" ADD CONSTRAINT "alert_reads_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_reads" ADD CONSTRAINT "alert_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_deliveries_rule_idx" ON "alert_deliveries" USING btree ("project_id","rule_id","id");--> statement-breakpoint
CREATE INDEX "alert_deliveries_due_idx" ON "alert_deliveries" USING btree ("next_attempt_at") WHERE "alert_deliveries"."state" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "alert_events_open_key" ON "alert_events" USING btree ("project_id","rule_id","subject") WHERE "alert_events"."resolved_at" is null;