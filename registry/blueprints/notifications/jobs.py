"""Reminders on the workers: rq's CronScheduler queues a run on a schedule; a worker runs it."""

from datetime import date

from flask import current_app
from rq.cron import CronScheduler

from registry.blueprints.notifications import services
from registry.core import jobs


@jobs.job
def run_reminders():
    """A scheduled run: what is due today (a run that finds nothing new sends nothing)."""
    return services.run(date.today()).summary()


def cron_scheduler():
    """An rq CronScheduler that queues run_reminders on REMINDERS_CRON; start() runs it.

    The schedule is code, not state: a scheduler restarted after a crash keeps it, and a run it
    missed meanwhile is made up by the next (each run sends everything due and not yet sent).
    """
    cfg = current_app.config
    scheduler = CronScheduler(connection=jobs.redis_connection())
    scheduler.register(
        run_reminders,
        queue_name=cfg["QUEUE_NAME"],
        cron=cfg["REMINDERS_CRON"],
        job_timeout=cfg["JOB_TIMEOUT_SECONDS"],
    )
    return scheduler
