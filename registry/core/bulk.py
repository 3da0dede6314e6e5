"""Multi-row writes: COPY on PostgreSQL, executemany elsewhere (bulk imports), and inserts
that skip rows already there (reminders).

The rows are plain dicts of column values, already validated by the domain's rules; these
helpers only move them into the tables, inside the caller's transaction. They bypass the ORM's
flush, so the caller writes the audit events itself (audit.record_created)."""

import json

import psycopg
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from registry.extensions import db


def _defaults(table, rows):
    """Complete the rows with the columns' Python-side defaults, which COPY does not apply."""
    fill, present = {}, rows[0].keys()
    for column in table.columns:
        default = column.default
        if default is None or column.key in present:
            continue
        if default.is_scalar:
            fill[column.key] = default.arg
        elif default.is_callable:
            fill[column.key] = default.arg(None)
    return [{**fill, **row} for row in rows]


def _copy(connection, table, rows):
    rows = _defaults(table, rows)
    names = list(rows[0])
    as_json = {n for n in names if isinstance(table.c[n].type, sa.JSON)}
    raw = connection.connection.driver_connection
    columns = ", ".join(f'"{name}"' for name in names)
    statement = f'COPY "{table.name}" ({columns}) FROM STDIN'
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([json.dumps(row[n]) if n in as_json else row[n] for n in names])
    except psycopg.IntegrityError as exc:
        # The same exception as an INSERT refused by a constraint, on every backend.
        raise IntegrityError(statement, None, exc) from exc


def insert(model, rows):
    """Insert rows (dicts with the same keys) into the model's table."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, model.__table__, rows)
    else:
        connection.execute(model.__table__.insert(), rows)


def insert_with_ids(model, rows):
    """Insert rows that get new ids from the table's sequence; return the ids in row order."""
    if not rows:
        return []
    table = model.__table__
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.execute(statement, rows).scalars())
    ids = list(
        connection.execute(
            sa.text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": len(rows)},
        ).scalars()
    )
    _copy(connection, table, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def insert_new(model, rows):
    """Insert the rows whose unique key the table does not hold yet, skipping the others (also
    those a concurrent writer has just added); return how many were inserted."""
    if not rows:
        return 0
    table = model.__table__
    connection = db.session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).on_conflict_do_nothing().returning(table.c.id)
    return len(connection.execute(statement, rows).all())
