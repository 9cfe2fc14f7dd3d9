CREATE TABLE "execution_review_labels" (
	"project_id" uuid NOT NULL,
	"execution_id" uuid NOT NULL,
	"label_id" uuid NOT NULL,
	CONSTRAINT "execution_review_labels_project_id_execution_id_label_id_pk" PRIMARY KEY("project_id","execution_id","label_id")
);
--> statement-breakpoint
CREATE TABLE "execution_reviews" (
	"project_id" uuid NOT NULL,
	"execution_id" uuid NOT NULL,
	"prompt_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"rating" text,
	"note" text DEFAULT '' NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "execution_reviews_project_id_execution_id_pk" PRIMARY KEY("project_id","execution_id"),
	CONSTRAINT "execution_reviews_rating_check" CHECK ("execution_reviews"."rating" is null or "execution_reviews"."rating" in ('up', 'down')),
	CONSTRAINT "execution_reviews_note_check" CHECK (char_length("execution_reviews"."note") <= 4000)
);
--> statement-breakpoint
CREATE TABLE "review_labels" (
	"project_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"color" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_labels_project_id_id_pk" PRIMARY KEY("project_id","id"),
	CONSTRAINT "review_labels_name_check" CHECK (char_length("review_labels"."name") between 1 and 40)
);
--> statement-breakpoint
ALTER TABLE "execution_review_labels" ADD CONSTRAINT "execution_review_labels_review_fk" FOREIGN KEY ("project_id","execution_id") REFERENCES "public"."execution_reviews"("project_id","execution_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "execution_review_labels" ADD CONSTRAINT "execution_review_labels_label_fk" FOREIGN KEY ("project_id","label_id") REFERENCES "public"."review_labels"("project_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "execution_reviews" ADD CONSTRAINT "execution_reviews_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_labels" ADD CONSTRAINT "review_labels_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "execution_review_labels_label_idx" ON "execution_review_labels" USING btree ("project_id","label_id");--> statement-breakpoint
CREATE INDEX "execution_reviews_started_idx" ON "execution_reviews" USING btree ("project_id","started_at");--> statement-breakpoint
CREATE INDEX "execution_reviews_prompt_idx" ON "execution_reviews" USING btree ("project_id","prompt_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "review_labels_name_key" ON "review_labels" USING btree ("project_id",lower("name"));