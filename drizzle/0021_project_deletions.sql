CREATE TABLE "project_deletions" (
	"deleted_project_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"deleted_by_email" text NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"purged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "project_deletions_unpurged_idx" ON "project_deletions" USING btree ("deleted_at") WHERE "project_deletions"."purged_at" is null;