CREATE TABLE "system_prompt_rollup_deltas" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "system_prompt_rollup_deltas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" uuid NOT NULL,
	"prompt_id" text NOT NULL,
	"prompt_version" integer NOT NULL,
	"hash" text NOT NULL,
	"calls" bigint NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "system_prompt_rollup_deltas_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "system_prompt_rollups" (
	"project_id" uuid NOT NULL,
	"prompt_id" text NOT NULL,
	"prompt_version" integer NOT NULL,
	"hash" text NOT NULL,
	"calls" bigint NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "system_prompt_rollups_project_id_prompt_id_prompt_version_hash_pk" PRIMARY KEY("project_id","prompt_id","prompt_version","hash")
);
--> statement-breakpoint
CREATE TABLE "system_prompts" (
	"project_id" uuid NOT NULL,
	"hash" text NOT NULL,
	"text" text NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "system_prompts_project_id_hash_pk" PRIMARY KEY("project_id","hash")
);
--> statement-breakpoint
-- A nullable column without a default: only the catalogue changes, on the parent and every partition; no row is rewritten.
ALTER TABLE "executions" ADD COLUMN "system_prompt_hash" text;--> statement-breakpoint
CREATE INDEX "system_prompt_rollups_hash_idx" ON "system_prompt_rollups" USING btree ("project_id","hash");