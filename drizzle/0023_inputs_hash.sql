-- A nullable column without a default: only the catalogue changes, on the parent and every partition; no row is rewritten.
ALTER TABLE "executions" ADD COLUMN "inputs_hash" text;
