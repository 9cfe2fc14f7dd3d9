CREATE TABLE "trace_spans" (
	"project_id" uuid NOT NULL,
	"trace_id" text NOT NULL,
	"span_id" text NOT NULL,
	"parent_span_id" text,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"service_name" text,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"status" text NOT NULL,
	"status_message" text,
	"attributes" json,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trace_spans_project_id_trace_id_span_id_pk" PRIMARY KEY("project_id","trace_id","span_id")
);
--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "trace_span_id" text;--> statement-breakpoint
CREATE INDEX "trace_spans_project_started_idx" ON "trace_spans" USING btree ("project_id","started_at");