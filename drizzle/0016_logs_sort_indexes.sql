-- ON ONLY: instant, and locks no partition; the server builds each partition's index concurrently and attaches it
-- (features/partitions/indexes.ts), so an install with millions of executions keeps ingesting while it upgrades.
CREATE INDEX "executions_prompt_latency_idx" ON ONLY "executions" USING btree ("project_id","prompt_id","latency_ms","id");--> statement-breakpoint
CREATE INDEX "executions_prompt_cost_idx" ON ONLY "executions" USING btree ("project_id","prompt_id","cost_usd","id");--> statement-breakpoint
CREATE INDEX "executions_prompt_tokens_idx" ON ONLY "executions" USING btree ("project_id","prompt_id",("input_tokens"::bigint + "output_tokens"),"id");