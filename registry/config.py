"""Configuration defaults; every key can be overridden by an environment variable REGISTRY_<KEY>."""

import os
from datetime import timedelta

DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"

DEFAULTS = {
    # "development" serves the demo; "production" refuses to start without a real secret key.
    "ENV": "development",
    "SECRET_KEY": DEV_SECRET_KEY,
    # Empty means a SQLite file under instance/; set a PostgreSQL URL in production.
    "DATABASE_URL": "",
    # Empty means jobs run inline in the web process (the demo); set it to use rq workers.
    "REDIS_URL": "",
    "QUEUE_NAME": "registry",
    "JOB_TIMEOUT_SECONDS": 600,
    # A job's lease: a worker that stops renewing it (it died) is noticed this soon after.
    "JOB_HEARTBEAT_SECONDS": 20,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "PASSWORD_MIN_LENGTH": 12,
    # Sign-in attempts (password, second factor, reset requests) one remote address may make.
    "LOGIN_RATE_LIMIT": "20 per minute",
    # Roles that must use a TOTP second factor (comma-separated); empty means nobody must (the
    # demo). Others may enrol on their own.
    "REQUIRE_2FA_ROLES": "admin,unodc,auditor",
    # A browser session ends after this long without a request, and this long after sign-in.
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_MAX_HOURS": 12,
    # How long a password reset link works (it works once).
    "PASSWORD_RESET_MINUTES": 60,
    "API_TOKEN_DAYS": 90,
    "MLA_OVERDUE_DAYS": 90,
    "IMPROVEMENT_THRESHOLD": 10,
    "CLASSIFICATION": "RESTRICTED — for official use",
    "PAGE_SIZE": 25,
    "UPLOAD_MAX_BYTES": 2 * 1024 * 1024,
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    # What an uploaded spreadsheet (imports, participant lists) may expand to; beyond it the
    # file is refused before it is parsed (core/spreadsheet.py).
    "XLSX_MAX_UNCOMPRESSED_BYTES": 50 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 200_000,
    "IMPORT_MAX_COLUMNS": 100,
    # Files with more data rows than this are imported by a worker, with a progress page.
    "IMPORT_JOB_ROWS": 2000,
    # Requests a personal API token may make (flask-limiter notation).
    "API_RATE_LIMIT": "600 per minute",
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    # The key that seals audit events (core/audit_chain.py); empty means SECRET_KEY. Keep it
    # unchanged for the life of the database: events sealed with another key fail the check.
    "AUDIT_KEY": "",
    # How often a worker checks the audit trail's chain.
    "AUDIT_VERIFY_SECONDS": 3600,
    # Outgoing mail (core/mail.py). An empty server means no mail: the registry tells people
    # in its own pages only.
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    # STARTTLS after connecting (port 587); implicit TLS is not offered.
    "MAIL_USE_TLS": False,
    "MAIL_DEFAULT_SENDER": "registry@localhost",
    "MAIL_TIMEOUT_SECONDS": 10,
    # The registry's address as people reach it (e.g. https://registry.example.org), for the
    # links in mail; empty means mail names records without linking to them.
    "BASE_URL": "",
    # Reminders (blueprints/notifications): defaults of the thresholds admins change under
    # Settings. Urgent MLA requests are reminded of sooner than MLA_OVERDUE_DAYS.
    "MLA_ACK_REMINDER_DAYS": 30,
    "MLA_URGENT_OVERDUE_DAYS": 45,
    "JIT_END_REMINDER_DAYS": 30,
    "ACTION_ITEM_REMINDER_DAYS": 7,
    "POST_TEST_REMINDER_DAYS": 14,
    "COUNTRY_UPDATE_REMINDER_DAYS": 14,
    # When `flask reminders schedule` (rq's CronScheduler) queues a run for the workers: cron
    # syntax, in the scheduler's local time. Each run sends only what is new.
    "REMINDERS_CRON": "0 * * * *",
}


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe or incomplete."""


def load(app, test_config=None):
    """Fill app.config from defaults, REGISTRY_* environment variables, then test_config."""
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env(prefix="REGISTRY")
    if test_config:
        app.config.update(test_config)
    cfg = app.config
    url = cfg["DATABASE_URL"] or "sqlite:///" + os.path.join(app.instance_path, "registry.db")
    cfg["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(url)
    cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    # API rate limits are counted in Redis, shared by every process; the demo has one process.
    cfg.setdefault("RATELIMIT_STORAGE_URI", cfg["REDIS_URL"] or "memory://")
    cfg.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    if cfg["REDIS_URL"]:
        # Redis down must not take the API with it: each process then counts in its own memory
        # (flask-limiter logs the switch and goes back to Redis when it answers again).
        cfg.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
        cfg.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
        cfg.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1}
        )
    cfg.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # The server-side session (auth/sessions.py) decides; the cookie never outlives it.
        PERMANENT_SESSION_LIFETIME=timedelta(hours=cfg["SESSION_MAX_HOURS"]),
        MAX_CONTENT_LENGTH=cfg.get("MAX_CONTENT_LENGTH", 20 * 1024 * 1024),
    )
    if cfg["ENV"] == "production":
        if not cfg["SECRET_KEY"] or cfg["SECRET_KEY"] == DEV_SECRET_KEY:
            raise ConfigError(
                "REGISTRY_SECRET_KEY must be set to a long random value in production"
            )
        cfg.update(
            SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https"
        )


def _normalise_db_url(url):
    # SQLAlchemy's default PostgreSQL driver is psycopg2; this project ships psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
