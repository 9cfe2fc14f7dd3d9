CREATE TABLE "conversation_rollup_deltas" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "conversation_rollup_deltas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" uuid NOT NULL,
	"conversation_id" text NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"last_ended_at" timestamp with time zone NOT NULL,
	"calls" bigint NOT NULL,
	"error_calls" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cost_usd" numeric NOT NULL,
	"priced_calls" bigint NOT NULL,
	"latency_sum_ms" bigint NOT NULL,
	"user_ids" text[] NOT NULL,
	"prompt_ids" text[] NOT NULL,
	CONSTRAINT "conversation_rollup_deltas_project_id_id_pk" PRIMARY KEY("project_id","id")
);
--> statement-breakpoint
CREATE TABLE "conversation_rollups" (
	"project_id" uuid NOT NULL,
	"conversation_id" text NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"last_ended_at" timestamp with time zone NOT NULL,
	"calls" bigint NOT NULL,
	"error_calls" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cost_usd" numeric NOT NULL,
	"priced_calls" bigint NOT NULL,
	"latency_sum_ms" bigint NOT NULL,
	"user_ids" text[] NOT NULL,
	"prompt_ids" text[] NOT NULL,
	CONSTRAINT "conversation_rollups_project_id_conversation_id_pk" PRIMARY KEY("project_id","conversation_id")
);
--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "conversation_id" text;--> statement-breakpoint
CREATE INDEX "conversation_rollups_recent_idx" ON "conversation_rollups" USING btree ("project_id","last_at" DESC NULLS LAST,"conversation_id" DESC NULLS LAST);--> statement-breakpoint
-- ON ONLY: the server builds it on each partition concurrently (features/partitions/indexes.ts).
CREATE INDEX "executions_conversation_idx" ON ONLY "executions" USING btree ("project_id","conversation_id","started_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "executions"."conversation_id" is not null;