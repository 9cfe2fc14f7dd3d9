ALTER TABLE "execution_payloads" ALTER COLUMN "inputs" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "execution_payloads" ALTER COLUMN "request" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "execution_payloads" ALTER COLUMN "output" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "execution_payloads" ALTER COLUMN "error" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "execution_payloads" ALTER COLUMN "thinking" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "execution_payloads" ALTER COLUMN "tool_calls" SET DATA TYPE json;