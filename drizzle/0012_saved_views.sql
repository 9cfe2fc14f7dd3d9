CREATE TABLE "saved_views" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"prompt_id" text,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_views_project_id_id_pk" PRIMARY KEY("project_id","id"),
	CONSTRAINT "saved_views_name_check" CHECK (char_length("saved_views"."name") between 1 and 100),
	CONSTRAINT "saved_views_state_check" CHECK (char_length("saved_views"."state") <= 2000)
);
--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_prompt_fk" FOREIGN KEY ("project_id","prompt_id") REFERENCES "public"."prompts"("project_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_name_key" ON "saved_views" USING btree ("project_id",coalesce("prompt_id", ''),"name");