"""Command-line interface (names are stable, docs/architecture.md §6)."""

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from registry.core import audit
from registry.core.errors import DomainError
from registry.core.roles import ROLES
from registry.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")
tokens_cli = AppGroup("tokens", help="Manage personal API tokens.")


def _fail(exc: DomainError):
    details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.errors.items())
    raise click.ClickException(f"{exc.message} {details}".strip())


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--country", default=None, help="ISO 3166 alpha-3; required for focal_point.")
@click.option("--name", default="")
def users_create(email, password, role, country, name):
    """Create an account."""
    from registry.blueprints.auth.services import create_user

    try:
        user = create_user(
            audit.SYSTEM, email=email, password=password, role=role, country_code=country, name=name
        )
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(
        f"created {user.email} ({user.role}{', ' + user.country_code if user.country_code else ''})"
    )


@tokens_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", default="CLI token")
@click.option("--days", default=None, type=int)
def tokens_create(email, name, days):
    """Create a personal API token and print only the token."""
    from registry.blueprints.auth.services import create_token, find_user

    user = find_user(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active account {email}")
    try:
        _token, plain = create_token(audit.SYSTEM, user, name, days)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(plain)


@click.command("seed-demo")
@with_appcontext
@click.option("--scale", type=click.Choice(("small", "large")), default="small")
@click.option("--seed", "seed_value", type=int, default=2026)
def seed_demo(scale, seed_value):
    """Load synthetic demo data (idempotent); refused in production."""
    from registry import demo

    if current_app.config["ENV"] == "production":
        raise click.ClickException(
            "seed-demo refuses to run when REGISTRY_ENV=production: it adds synthetic records and "
            "demo accounts whose password is published. Reference data (countries, legal bases, "
            "indicators) comes with `flask db upgrade`; create real accounts with `users create`."
        )
    added = demo.seed(scale, seed_value)
    db.session.commit()
    summary = ", ".join(f"{n} {what}" for what, n in added.items())
    click.echo(f"synthetic demo data ({scale}, seed {seed_value}) loaded: added {summary}")


@click.command("demo-accounts")
@with_appcontext
def demo_accounts():
    """Print the demo sign-ins."""
    from registry.blueprints.auth.demo import DEMO_PASSWORD, DEMO_USERS

    click.echo("Demo accounts (synthetic data), password for all: " + DEMO_PASSWORD)
    for email, role, country, _name in DEMO_USERS:
        click.echo(f"  {role:<12} {country or 'regional':<9} {email}")


audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def audit_verify():
    """Check the whole chain of audit events; exit 1 naming the first bad one."""
    from registry.core.audit import AuditEvent
    from registry.core.audit_chain import verify_and_record

    verdict = verify_and_record(AuditEvent.__table__)
    if not verdict.ok:
        raise click.ClickException(f"audit trail broken: {verdict.message}")
    click.echo(f"audit trail {verdict.message}")


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst):
    """Run an rq worker for the registry queue (needs REGISTRY_REDIS_URL)."""
    from registry.core import jobs

    if jobs.redis_connection() is None:
        raise click.ClickException(
            "REGISTRY_REDIS_URL is not set: jobs run inline, no worker needed"
        )
    from registry.core.audit_checks import ensure_scheduled

    ensure_scheduled()
    # The scheduler runs the audit trail's periodic check (and any job enqueued for later).
    jobs.worker().work(burst=burst, with_scheduler=not burst)
    current_app.logger.info("worker stopped")


def init_app(app):
    from registry.blueprints.briefs.cli import briefs_cli
    from registry.blueprints.imports.cli import export_command, import_command
    from registry.blueprints.notifications.cli import reminders_cli

    for command in (
        users_cli,
        tokens_cli,
        audit_cli,
        briefs_cli,
        import_command,
        export_command,
        reminders_cli,
        seed_demo,
        demo_accounts,
        worker,
    ):
        app.cli.add_command(command)
