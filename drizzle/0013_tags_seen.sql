CREATE TABLE "tags_seen_daily" (
	"project_id" uuid NOT NULL,
	"prompt_id" text NOT NULL,
	"tag" text NOT NULL,
	"day" timestamp with time zone NOT NULL,
	CONSTRAINT "tags_seen_daily_project_id_prompt_id_tag_day_pk" PRIMARY KEY("project_id","prompt_id","tag","day")
);
