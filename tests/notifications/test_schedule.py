"""The reminders on a schedule: rq's CronScheduler queues the run, a real rq worker on Redis runs
it; `flask reminders run [--today]` does the same by hand."""

from datetime import timedelta

import sqlalchemy as sa

from registry.blueprints.notifications import jobs as reminder_jobs
from registry.blueprints.notifications.models import Notification
from registry.core import jobs
from tests.fixtures.clock import TODAY
from tests.fixtures.services import jobs_on_redis
from tests.fixtures.smtp import free_port
from tests.notifications.helpers import days, notifications_of, overdue_request


def test_the_cron_scheduler_queues_the_run_and_a_worker_sends_the_digests(
    app, users, session, clock, smtp_server
):
    request = overdue_request(users["admin"])
    # The worker ends its session: what the test checks afterwards is read before.
    email, focal_point_id = users["focal_point"].email, users["focal_point"].id
    reference, request_id = request.reference, request.id
    with jobs_on_redis(app, REMINDERS_CRON="0 * * * *"):
        scheduler = reminder_jobs.cron_scheduler()
        assert scheduler.enqueue_jobs() == []  # not on the hour yet
        clock.shift(timedelta(hours=1))
        assert len(scheduler.enqueue_jobs()) == 1
        queue = jobs.queue()
        [queued] = queue.get_jobs()
        assert queued.func_name == "registry.blueprints.notifications.jobs.run_reminders"
        assert jobs.worker().work(burst=True)  # it ran a job ...
        assert queue.failed_job_registry.get_job_ids() == []  # ... which did not fail
    [mail] = smtp_server.to(email)
    assert reference in mail.get_body(("plain",)).get_content()
    given = session.scalars(
        sa.select(Notification.kind).where(
            Notification.recipient_id == focal_point_id, Notification.subject_id == request_id
        )
    ).all()
    assert sorted(given) == ["mla_unacknowledged", "mla_unanswered"]


def test_the_command_runs_for_a_given_day_and_twice_adds_nothing(app, users, session):
    request = overdue_request(users["admin"])
    runner = app.test_cli_runner()
    before = runner.invoke(args=["reminders", "run", "--today", str(TODAY - days(40))])
    assert before.exit_code == 0, before.output
    assert "reminders for" in before.output and "1 new notifications" in before.output
    first = runner.invoke(args=["reminders", "run", "--today", TODAY.isoformat()])
    again = runner.invoke(args=["reminders", "run", "--today", TODAY.isoformat()])
    assert first.exit_code == again.exit_code == 0
    assert "1 new notifications" in first.output and "0 new notifications" in again.output
    assert notifications_of(users["focal_point"]) == [
        ("mla_unacknowledged", request.id),
        ("mla_unanswered", request.id),
    ]
    count = session.scalar(sa.select(sa.func.count()).select_from(Notification))
    assert count == 2  # no focal point of Thailand in this test


def test_the_command_refuses_a_bad_day_and_saves_nothing(app, users, session):
    overdue_request(users["admin"])
    result = app.test_cli_runner().invoke(args=["reminders", "run", "--today", "2026-13-40"])
    assert (
        result.exit_code == 2 and "YYYY-MM-DD" not in result.output or "%Y-%m-%d" in result.output
    )
    assert session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0


def test_the_command_exits_1_when_a_mail_could_not_be_sent(app, users, session):
    overdue_request(users["admin"])
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT_SECONDS=2)
    try:
        result = app.test_cli_runner().invoke(args=["reminders", "run"])
    finally:
        app.config.update(MAIL_SERVER="", MAIL_PORT=25, MAIL_TIMEOUT_SECONDS=10)
    assert result.exit_code == 1 and "1 failed (kept for the next run)" in result.output


def test_the_schedule_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["reminders", "schedule"])
    assert result.exit_code == 1 and "REGISTRY_REDIS_URL is not set" in result.output
