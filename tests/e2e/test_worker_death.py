"""A brief whose rq worker is SIGKILLed mid-job: another worker notices within a minute, tries
it once more, and a second death leaves it failed with its reason, never "running".

Real processes on a fresh PostgreSQL database: `flask worker` as the README runs it. To kill a
worker at a known point, the test holds an exclusive lock on the MLA table the brief reads, so
the job stops there, "running", until the worker is killed.
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from redis import Redis

from registry.blueprints.briefs import jobs as brief_jobs
from registry.blueprints.briefs import services
from registry.core import audit
from registry.core import jobs as core_jobs
from registry.core.jobs import RETRYING
from registry.extensions import db
from tests.conftest import make_app, migrate
from tests.e2e.conftest import ROOT
from tests.factories import UserFactory
from tests.fixtures.clock import TODAY
from tests.fixtures.services import recreate_database, require_redis

DATABASE = os.environ.get("REGISTRY_TEST_WORKER_DATABASE", "registry_worker_death")
LEASE = 2  # seconds; production's default is 20
# A dead worker's job is noticed within a lease and a maintenance round; the rest is start-up.
NOTICED_WITHIN = 60


@pytest.fixture(scope="module")
def deployed():
    url = recreate_database(DATABASE)
    redis_url = require_redis().rsplit("/", 1)[0] + "/11"
    Redis.from_url(redis_url).flushdb()
    app = make_app(url, REDIS_URL=redis_url, JOB_HEARTBEAT_SECONDS=LEASE)
    migrate(app)
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": url,
        "REGISTRY_REDIS_URL": redis_url,
        "REGISTRY_JOB_HEARTBEAT_SECONDS": str(LEASE),
    }
    try:
        yield app, env
    finally:
        with app.app_context():
            db.engine.dispose()
        Redis.from_url(redis_url).flushdb()
        recreate_database(DATABASE, create=False)


class Workers:
    """`flask worker` processes, each in its own process group so SIGKILL takes it all."""

    def __init__(self, env):
        self.env, self.processes = env, []

    def start(self):
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)


@pytest.fixture
def workers(deployed):
    running = Workers(deployed[1])
    yield running
    running.stop_all()


@contextmanager
def mla_table_locked(app):
    """Hold an ACCESS EXCLUSIVE lock on mla_request: a brief's job waits at its first read."""
    with app.app_context(), db.engine.connect() as conn, conn.begin():
        conn.execute(sa.text("LOCK TABLE mla_request IN ACCESS EXCLUSIVE MODE"))
        yield conn


def queued_brief(app):
    with app.app_context():
        audit.act_as(audit.SYSTEM, "test setup")
        unodc = UserFactory(role="unodc", country_code=None)
        brief = services.request_brief(
            unodc,
            {
                "meeting_type": "somtc",
                "countries": "all",
                "period_from": TODAY.replace(year=TODAY.year - 1),
                "period_to": TODAY,
                "sections": ["mla"],
            },
        )
        db.session.commit()
        rq_job = core_jobs.enqueue(brief_jobs.generate, brief.id, on_failure=brief_jobs.on_failure)
        brief_id = brief.id
        db.session.remove()
    return brief_id, rq_job.id


def query(app, statement, **params):
    """Rows of a query on a connection of its own (it sees what the workers committed)."""
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(sa.text(statement), params).all()


def brief_row(app, brief_id):
    [row] = query(
        app, "SELECT status, stage, error, started_at, size FROM brief WHERE id = :i", i=brief_id
    )
    return row


WAITING = "FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"


def waiting_on_the_lock(app):
    return query(app, f"SELECT count(*) {WAITING}")[0][0]


def end_orphaned_queries(app):
    """A killed worker's database session ends as soon as PostgreSQL next talks to it; the one
    waiting on the test's lock never would, and it holds the brief's row, so end it."""
    query(app, f"SELECT pg_terminate_backend(pid) {WAITING}")


def wait_until(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


def stuck_running(app, workers, brief_id, started_before=None):
    """Start a worker and wait until it runs the brief and waits on the lock."""
    worker = workers.start()
    wait_until(
        lambda: (
            (row := brief_row(app, brief_id)).status == "running"
            and row.started_at != started_before
            and waiting_on_the_lock(app)
        ),
        60,
        "the worker took the brief and waits on the MLA table",
    )
    return worker


def test_a_killed_worker_is_noticed_within_a_minute_and_the_brief_is_tried_again(deployed, workers):
    app, _ = deployed
    brief_id, _ = queued_brief(app)
    with mla_table_locked(app):
        first = stuck_running(app, workers, brief_id)
        workers.kill(first)
        killed_at = time.monotonic()
        assert brief_row(app, brief_id).status == "running"  # nobody knows yet
    workers.start()
    done = wait_until(
        lambda: (row := brief_row(app, brief_id)).status == "done" and row,
        NOTICED_WITHIN + 60,
        "the brief was made on the second try",
    )
    assert time.monotonic() - killed_at < NOTICED_WITHIN + 60
    assert done.size > 1000 and done.error is None
    notes = query(
        app,
        "SELECT reason FROM audit_event WHERE object_type = 'Brief'"
        " AND object_id = :i AND CAST(changes AS TEXT) LIKE :note ORDER BY seq",
        i=str(brief_id),
        note=f"%{RETRYING}%",
    )
    # The brief said it was being tried again; the second try cleared the note.
    assert [note for (note,) in notes] == ["job failed in the worker", "brief generation"]


def test_a_brief_whose_worker_dies_twice_fails_within_a_minute_with_its_reason(deployed, workers):
    app, _ = deployed
    brief_id, rq_id = queued_brief(app)
    with mla_table_locked(app):
        first = stuck_running(app, workers, brief_id)
        first_start = brief_row(app, brief_id).started_at
        workers.kill(first)
        end_orphaned_queries(app)
        killed_at = time.monotonic()
        # The next worker finds the lease expired, queues the brief again and takes it again.
        second = stuck_running(app, workers, brief_id, started_before=first_start)
        noticed = time.monotonic() - killed_at
        with app.app_context():
            assert core_jobs.queue().fetch_job(rq_id).retries_left == 0
        workers.kill(second)
        end_orphaned_queries(app)
        killed_at = time.monotonic()
        workers.start()
        failed = wait_until(
            lambda: (row := brief_row(app, brief_id)).status == "failed" and row,
            NOTICED_WITHIN,
            "the brief whose worker died twice is marked failed",
        )
        failed_after = time.monotonic() - killed_at
    assert noticed < NOTICED_WITHIN and failed_after < NOTICED_WITHIN
    assert "The worker stopped the job: AbandonedJobError" in failed.error
    assert RETRYING not in failed.error
