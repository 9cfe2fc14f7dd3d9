-- Every process keeps the API keys it has seen, with their project's storage settings and custom prices, so that
-- ingestion does not read them on every request. These triggers tell every process (NOTIFY is sent at commit, to
-- each listening connection) when anything that lookup returns may have changed; the processes then forget them all.
CREATE OR REPLACE FUNCTION promptlog_notify_api_key_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('promptlog_api_key_changes', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER api_keys_changed
AFTER UPDATE OF project_id, label, key_hash, scopes, expires_at, revoked_at OR DELETE OR TRUNCATE ON api_keys
FOR EACH STATEMENT EXECUTE FUNCTION promptlog_notify_api_key_changes();
--> statement-breakpoint
CREATE TRIGGER projects_storage_changed
AFTER UPDATE OF payload_policy, payload_sample_rate, redaction_builtins, redaction_custom OR DELETE OR TRUNCATE ON projects
FOR EACH STATEMENT EXECUTE FUNCTION promptlog_notify_api_key_changes();
--> statement-breakpoint
CREATE TRIGGER custom_prices_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON custom_prices
FOR EACH STATEMENT EXECUTE FUNCTION promptlog_notify_api_key_changes();
