"""Engine set-up shared by every database backend."""

import os

from sqlalchemy import event
from sqlalchemy.engine import Engine

from registry.extensions import db


def ensure_sqlite_folder(uri):
    """Create the folder that will hold a SQLite file."""
    path = uri.removeprefix("sqlite:///")
    if path and path != ":memory:":
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)


def configure_engines(app):
    """Turn on SQLite foreign keys and real transactions (savepoints need them)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _configure_sqlite(engine: Engine):
    if getattr(engine, "_registry_configured", False):
        return
    engine._registry_configured = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide where transactions begin (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Not in an AUTOCOMMIT block: a migration switches foreign keys off there, which SQLite
        # ignores inside a transaction.
        if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            conn.exec_driver_sql("BEGIN")
