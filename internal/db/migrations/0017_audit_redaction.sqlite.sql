-- Erasing an account (B4) may replace the erased person's name and address in
-- the audit log, and nothing else: an update that only sets actor_name to
-- '[erased]' and ip to '' is allowed; every other change is still refused.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (NEW.actor_name = '[erased]' AND NEW.ip = '' AND NEW.id = OLD.id AND NEW.at = OLD.at
    AND NEW.actor_id IS OLD.actor_id AND NEW.action = OLD.action AND NEW.target = OLD.target AND NEW.detail = OLD.detail)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
