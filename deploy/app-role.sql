-- The registry's PostgreSQL role owns no tables, so the audit trail's triggers cannot be turned
-- off by the app: no TRUNCATE, no ALTER TABLE ... DISABLE TRIGGER, no session_replication_role
-- (superusers only), no UPDATE or DELETE of audit events or of their checkpoints.
--
-- Migrations run as the owner of the tables; the web and worker processes connect as the role
-- this script grants to. Run it as that owner after every `flask db upgrade`:
--   psql "$OWNER_DATABASE_URL" -v app_role=registry_app -f deploy/app-role.sql
-- (the role must exist: CREATE ROLE registry_app LOGIN PASSWORD '...').
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, audit_checkpoint FROM :"app_role";
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
