"""Large files go to a worker: progress, the report kept with the job, failures that say why."""

import io
from datetime import timedelta

import sqlalchemy as sa
from rq import SimpleWorker
from rq.job import Job

from registry.blueprints.imports import services
from registry.blueprints.imports.models import ImportJob
from registry.blueprints.imports.registry import IMPORTERS
from registry.blueprints.mla.models import MlaRequest
from registry.core import audit
from registry.core import jobs as core_jobs
from registry.core.audit import AuditEvent
from registry.core.columns import utcnow
from tests.fixtures.services import jobs_on_redis
from tests.imports.test_imports import BAD, GOOD, MLA_HEADER, count, post
from tests.training.helpers import csv_bytes


def many(n):
    """n valid Cambodia → Thailand requests."""
    return [[f"KH-JOB-{i}", *GOOD[0][1:]] for i in range(n)]


def job_id(response):
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_file_above_the_threshold_becomes_a_job_with_its_report(
    app, login, users, session, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_JOB_ROWS", 3)
    browser = login(users["focal_point"])
    response = browser.post(
        "/imports/mla",
        data={
            "file": (io.BytesIO(csv_bytes(many(4) + BAD, MLA_HEADER)), "big.csv"),
            "mode": "save",
            "policy": "valid_only",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and "/imports/jobs/" in response.headers["Location"]
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    # Without Redis the job ran inline: the page shows the finished report.
    assert "Saved." in page and "7 rows: 4 created" in page and "3 refused" in page
    assert "must differ from the requesting one" in page
    import_job = session.scalars(sa.select(ImportJob)).one()
    assert (import_job.status, import_job.content, import_job.rows_total) == ("done", None, 7)
    assert count(session) == 4
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert event.changes["created"] == 4 and event.changes["job"] == import_job.id
    assert "big.csv" in browser.get("/imports/").get_data(as_text=True)


def test_job_through_a_real_rq_worker_reports_progress_in_redis(app, users, login, session):
    with jobs_on_redis(app, IMPORT_JOB_ROWS=10):
        browser = login(users["focal_point"])
        response = post(browser, "mla", csv_bytes(many(2500), MLA_HEADER), mode="save")
        assert "Importing" in response.get_data(as_text=True)
        import_job = session.scalars(sa.select(ImportJob)).one()
        status = browser.get(f"/imports/jobs/{import_job.id}/status").get_json()
        assert (status["status"], status["progress"]) == ("queued", 0)
        SimpleWorker([core_jobs.queue()], connection=core_jobs.redis_connection()).work(burst=True)
        meta = Job.fetch(import_job.rq_id, connection=core_jobs.redis_connection()).meta
        status = browser.get(f"/imports/jobs/{import_job.id}/status").get_json()
    assert meta == {"done": 2500, "total": 2500}
    assert (status["status"], status["progress"]) == ("done", 100)
    assert count(session) == 2500


def test_running_job_shows_rows_checked_so_far(app, users, session):
    with jobs_on_redis(app):
        queued = core_jobs.queue().enqueue("registry.core.jobs.redis_status")
        queued.meta.update(done=1500, total=6000)
        queued.save_meta()
        audit.act_as(users["admin"])
        import_job = ImportJob(
            requested_by_id=users["admin"].id,
            kind="mla",
            filename="x.csv",
            save=True,
            all_or_nothing=False,
            rows_total=6000,
            status="running",
            rq_id=queued.id,
        )
        session.add(import_job)
        session.flush()
        assert services.progress(import_job) == (25, "Checked 1,500 of 6,000 rows")


def test_wrong_columns_are_refused_before_any_job(app, login, users, session, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_JOB_ROWS", 1)
    browser = login(users["unodc"])
    response = post(browser, "mla", csv_bytes(GOOD, ["ref", "from", "to"]), mode="save")
    assert "Missing columns" in response.get_data(as_text=True)
    assert session.scalars(sa.select(ImportJob)).all() == []


def test_a_job_that_breaks_says_why_and_saves_nothing(app, login, users, session, monkeypatch):
    """Whatever goes wrong in the worker (here the database write), the job ends failed with
    the reason, the file is deleted and no row of it is in the registry."""

    def broken(self, actor, plans):
        raise RuntimeError("disk full")

    monkeypatch.setitem(app.config, "IMPORT_JOB_ROWS", 1)
    monkeypatch.setattr(type(IMPORTERS["mla"]), "insert", broken)
    browser = login(users["focal_point"])
    text = post(browser, "mla", csv_bytes(GOOD, MLA_HEADER), mode="save").get_data(as_text=True)
    assert "The import failed: RuntimeError: disk full" in text
    import_job = session.scalars(sa.select(ImportJob)).one()
    assert (import_job.status, import_job.content) == ("failed", None) and count(session) == 0


def test_all_or_nothing_job_saves_nothing_when_a_row_fails(app, login, users, session, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_JOB_ROWS", 1)
    browser = login(users["focal_point"])
    text = post(
        browser,
        "mla",
        csv_bytes(many(3) + BAD, MLA_HEADER),
        mode="save",
        policy="all_or_nothing",
    ).get_data(as_text=True)
    assert "Nothing was saved because some rows have errors." in text and count(session) == 0


def test_only_the_requester_and_admins_see_a_job(app, login, users, session, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_JOB_ROWS", 1)
    response = login(users["focal_point"]).post(
        "/imports/mla",
        data={
            "file": (io.BytesIO(csv_bytes(GOOD, MLA_HEADER)), "a.csv"),
            "mode": "dry_run",
            "policy": "valid_only",
        },
        content_type="multipart/form-data",
    )
    url = response.headers["Location"]
    assert login(users["unodc"]).get(url).status_code == 404
    assert login(users["admin"]).get(url).status_code == 200
    assert login(users["auditor"]).get(url).status_code == 403
    assert login(users["focal_point"]).get(url + "/status").get_json()["status"] == "done"


def test_a_job_whose_worker_died_is_marked_failed(app, users, session):
    audit.act_as(users["admin"])
    import_job = ImportJob(
        requested_by_id=users["admin"].id,
        kind="mla",
        filename="x.csv",
        content=b"x",
        save=True,
        all_or_nothing=False,
        rows_total=5000,
        status="running",
        started_at=utcnow() - timedelta(seconds=app.config["JOB_TIMEOUT_SECONDS"] + 120),
    )
    session.add(import_job)
    session.flush()
    assert services.fail_stale_jobs() == 1
    assert import_job.status == "failed" and "nothing was saved" in import_job.error
    assert import_job.content is None
    assert session.scalar(sa.select(sa.func.count()).select_from(MlaRequest)) == 0


def test_a_queued_job_of_a_deactivated_account_saves_nothing(app, users, login, session):
    focal = users["focal_point"]
    with jobs_on_redis(app, IMPORT_JOB_ROWS=1):
        post(login(focal), "mla", csv_bytes(GOOD, MLA_HEADER), mode="save")
        audit.act_as(users["admin"], "left the unit")
        focal.active = False
        session.flush()
        SimpleWorker([core_jobs.queue()], connection=core_jobs.redis_connection()).work(burst=True)
    import_job = session.scalars(sa.select(ImportJob)).one()
    assert import_job.status == "failed" and "deactivated" in import_job.error
    assert count(session) == 0
