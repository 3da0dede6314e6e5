"""The audit trail proves itself: `flask audit verify` passes an intact chain and names the first
bad event after a rewrite, a deletion, a truncation, a forged or back-dated insert, or a cut end.
On PostgreSQL the app's own role (deploy/app-role.sql) cannot do any of it in the first place."""

import hashlib
import subprocess
from datetime import timedelta
from types import SimpleNamespace

import flask_migrate
import pytest
import sqlalchemy as sa

from registry.blueprints.reference import services as reference_services
from registry.core import audit
from registry.core.audit import AuditEvent
from registry.core.audit_chain import AuditCheckpoint
from registry.extensions import db
from tests.conftest import make_app
from tests.factories import AgencyFactory, UserFactory
from tests.fixtures.services import POSTGRES_URL, require_postgres


def verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


@pytest.fixture
def trail(session):
    """A few real events on top of the migrations' own, written by the app."""
    actor = UserFactory(role="admin")
    audit.act_as(actor, "set-up")
    agency = AgencyFactory(name="Before")
    agency.name = "After"
    session.flush()
    audit.record(actor, "export", "Agency", agency.id, {"rows": 1})
    session.flush()
    rows = session.execute(
        sa.select(AuditEvent.id, AuditEvent.seq, AuditEvent.hash, AuditEvent.occurred_at).order_by(
            AuditEvent.seq
        )
    )
    return [SimpleNamespace(**row) for row in rows.mappings()]


def _unguarded(session, backend, sql, **params):
    """Run SQL as the tables' owner with the append-only triggers out of the way."""
    if backend == "postgresql":
        session.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
    else:
        session.execute(sa.text("DROP TRIGGER IF EXISTS audit_event_no_update"))
        session.execute(sa.text("DROP TRIGGER IF EXISTS audit_event_no_delete"))
    session.execute(sa.text(sql), params)


def test_intact_chain_passes_and_counts_every_event(app, trail, session):
    result = verify(app)
    count = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    assert result.exit_code == 0, result.output
    assert f"intact: {count} events" in result.output
    assert count == len(trail) >= 24 + 4  # reference data from the migrations, then the app's
    assert [e.seq for e in trail] == list(range(1, count + 1))
    check = session.scalars(sa.select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc())).first()
    assert (check.ok, check.events, check.head_seq, check.head_hash) == (
        True,
        count,
        count,
        trail[-1].hash,
    )


def test_rewritten_event_is_named(app, trail, session, backend):
    target = trail[-3]
    _unguarded(
        session,
        backend,
        "UPDATE audit_event SET actor_label = 'someone@else.example' WHERE id = :id",
        id=target.id,
    )
    result = verify(app)
    assert result.exit_code == 1
    assert (
        f"event #{target.id} " in result.output and "changed after it was written" in result.output
    )


def test_deleted_event_breaks_the_next_one(app, trail, session, backend):
    gone, after = trail[-3], trail[-2]
    _unguarded(session, backend, "DELETE FROM audit_event WHERE id = :id", id=gone.id)
    result = verify(app)
    assert result.exit_code == 1
    assert f"event #{after.id} (position {after.seq}): position {gone.seq} is missing" in (
        result.output
    )


def test_emptied_trail_fails(app, trail, session, backend):
    statement = "TRUNCATE audit_event" if backend == "postgresql" else "DELETE FROM audit_event"
    _unguarded(session, backend, statement)
    result = verify(app)
    assert result.exit_code == 1
    assert "empty" in result.output


def test_cut_end_is_caught_by_the_last_checkpoint(app, trail, session, backend):
    assert verify(app).exit_code == 0
    _unguarded(session, backend, "DELETE FROM audit_event WHERE seq > :keep", keep=trail[-3].seq)
    result = verify(app)
    assert result.exit_code == 1
    assert f"up to position {trail[-1].seq}, seen intact before, are gone" in result.output


def test_forged_insert_without_the_key_is_named(app, trail, session):
    head = trail[-1]
    forged = {
        "seq": head.seq + 1,
        "prev": head.hash,
        "hash": hashlib.sha256(b"a plausible event").hexdigest(),
        "when": head.occurred_at,
    }
    session.execute(
        sa.text(
            "INSERT INTO audit_event (occurred_at, actor_id, actor_label, object_type, object_id,"
            " action, changes, reason, seq, prev_hash, hash) VALUES (:when, NULL, 'system',"
            " 'MlaRequest', '1', 'delete', NULL, NULL, :seq, :prev, :hash)"
        ),
        forged,
    )
    new_id = session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    result = verify(app)
    assert result.exit_code == 1
    assert f"event #{new_id} " in result.output and "changed after it was written" in result.output


def test_back_dated_event_is_named_even_when_sealed(app, trail, session):
    """A forger holding the key still cannot slip an event in with a date in the past."""
    head = trail[-1]
    event = {
        "actor_id": None,
        "actor_label": "system",
        "object_type": "MlaRequest",
        "object_id": "1",
        "action": "delete",
        "changes": None,
        "reason": None,
        "occurred_at": head.occurred_at - timedelta(days=30),
    }
    audit._append(session.connection(), [event])
    result = verify(app)
    assert result.exit_code == 1
    assert f"position {head.seq + 1}): dated before the event before it" in result.output


def test_event_without_a_seal_is_named(app, trail, session, backend):
    if backend == "sqlite":
        pytest.skip("SQLite cannot drop a NOT NULL constraint in place (PostgreSQL case only)")
    session.execute(sa.text("ALTER TABLE audit_event ALTER COLUMN seq DROP NOT NULL"))
    session.execute(
        sa.text(
            "INSERT INTO audit_event (occurred_at, actor_label, object_type, action, prev_hash,"
            " hash) VALUES (now(), 'system', 'User', 'delete', '', '')"
        )
    )
    new_id = session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    result = verify(app)
    assert result.exit_code == 1
    assert f"event #{new_id} has no seal" in result.output


ROLE = "registry_app_test"
ROLE_DB = POSTGRES_URL.rsplit("/", 1)[1] + "_app_role"


@pytest.fixture
def app_role_database():
    """A fresh database migrated by its owner, with deploy/app-role.sql granted to the app role."""
    require_postgres()
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {ROLE_DB} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {ROLE_DB}"))
        if not conn.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": ROLE}):
            conn.execute(sa.text(f"CREATE ROLE {ROLE} LOGIN"))
    owner_url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{ROLE_DB}"
    owner_app = make_app(owner_url)
    with owner_app.app_context():
        flask_migrate.upgrade(revision="heads")
        db.engine.dispose()
    psql_url = owner_url.replace("postgresql+psycopg://", "postgresql://")
    subprocess.run(
        [
            "psql",
            psql_url,
            "-v",
            f"app_role={ROLE}",
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-f",
            "deploy/app-role.sql",
        ],
        check=True,
    )
    yield owner_url.replace("://postgres@", f"://{ROLE}@")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {ROLE_DB} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_event",
        "ALTER TABLE audit_event DISABLE TRIGGER ALL",
        "SET session_replication_role = replica",
        "DELETE FROM audit_event",
        "UPDATE audit_event SET reason = 'x'",
        "DROP TRIGGER audit_event_append_only ON audit_event",
        "DELETE FROM audit_checkpoint",
    ],
)
def test_app_role_cannot_switch_off_or_rewrite_the_trail(app_role_database, statement):
    engine = sa.create_engine(app_role_database)
    try:
        with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError) as refused:
            conn.execute(sa.text(statement))
        assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value)
    finally:
        engine.dispose()


def test_app_runs_as_its_role_and_its_writes_keep_the_chain(app_role_database):
    app = make_app(app_role_database)
    with app.app_context():
        audit.act_as(audit.SYSTEM, "test set-up")
        admin = UserFactory(role="admin")
        audit.act_as(admin)
        reference_services.create_agency(
            admin, {"country": "KHM", "name": "Anti-Human Trafficking Police", "type": "police"}
        )
        db.session.commit()
        result = verify(app)
        count = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert f"intact: {count} events" in result.output


def test_admins_and_auditors_see_the_last_check_others_do_not(app, trail, session, users, login):
    assert verify(app).exit_code == 0
    count = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    for role in ("admin", "auditor"):
        page = login(users[role]).get("/admin/audit").get_data(as_text=True)
        assert f"intact: {count} events" in page
    _unguarded(
        session,
        "sqlite" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else "postgresql",
        "DELETE FROM audit_event WHERE seq = 3",
    )
    assert verify(app).exit_code == 1
    page = login(users["auditor"]).get("/admin/audit").get_data(as_text=True)
    assert "<strong>broken</strong>: event #" in page and "position 3 is missing" in page
    for role in ("focal_point", "unodc", "official"):
        assert login(users[role]).get("/admin/audit").status_code == 403


def test_the_worker_checks_the_trail_and_schedules_the_next_check(app, trail, session):
    """Run by a real rq worker on Redis: the check leaves a checkpoint and a next run waiting."""
    from registry.core import audit_checks, jobs
    from tests.fixtures.services import jobs_on_redis

    with jobs_on_redis(app, AUDIT_VERIFY_SECONDS=3600):
        audit_checks.ensure_scheduled()
        audit_checks.ensure_scheduled()  # a second worker starting adds no second check
        queue = jobs.queue()
        assert len(queue.get_jobs()) == 1
        jobs.worker().work(burst=True)
        scheduled = queue.scheduled_job_registry.get_job_ids()
        assert len(scheduled) == 1
        audit_checks.ensure_scheduled()  # the next check is waiting: nothing more is queued
        assert queue.get_jobs() == []
    check = session.scalars(sa.select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc())).first()
    assert check.ok and check.events == len(trail)
