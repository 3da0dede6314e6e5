"""flask --app wsgi reminders run | schedule."""

from datetime import date

import click
from flask.cli import AppGroup

from registry.blueprints.notifications import jobs, services
from registry.core.jobs import redis_connection

reminders_cli = AppGroup("reminders", help="Reminders: notifications in the registry and mail.")


@reminders_cli.command("run")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Compute what is due on this day (YYYY-MM-DD) instead of today.",
)
def reminders_run(today):
    """Record the reminders due and mail the digests due (running it again sends nothing
    twice); exit 1 when a mail could not be sent (it is retried at the next run)."""
    result = services.run(today.date() if today else date.today())
    click.echo(result.summary())
    if result.mails_failed:
        raise click.exceptions.Exit(1)


@reminders_cli.command("schedule")
def reminders_schedule():
    """Queue a reminder run for the workers on REMINDERS_CRON (rq's CronScheduler; run one)."""
    if redis_connection() is None:
        raise click.ClickException(
            "REGISTRY_REDIS_URL is not set: there is no worker to run the reminders; run "
            "`flask --app wsgi reminders run` from the system's cron instead"
        )
    jobs.cron_scheduler().start()
