-- Erasing an account (B4) may replace the erased person's name and address in
-- the audit log, and nothing else: an update that only sets actor_name to
-- '[erased]' and ip to '' is allowed; every other change is still refused.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_name = '[erased]' AND NEW.ip = '' AND NEW.id = OLD.id AND NEW.at = OLD.at
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.action = OLD.action
        AND NEW.target = OLD.target AND NEW.detail = OLD.detail THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
