"""flask --app wsgi briefs generate ...: render a brief synchronously, as the worker does."""

from datetime import date

import click
from flask.cli import AppGroup

from registry.blueprints.auth.services import find_user
from registry.blueprints.briefs import jobs, services
from registry.blueprints.briefs.models import Brief
from registry.core.errors import DomainError
from registry.extensions import db

briefs_cli = AppGroup("briefs", help="Meeting briefs.")


def _day(_ctx, _param, value):
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD") from exc


@briefs_cli.command("generate")
@click.option("--as", "email", required=True, help="Build with this user's scope.")
@click.option("--meeting-type", required=True)
@click.option("--countries", required=True, help="ISO3 codes separated by commas, or all.")
@click.option("--from", "period_from", required=True, callback=_day)
@click.option("--to", "period_to", required=True, callback=_day)
@click.option("--sections", default="all", help="all, or section names separated by commas.")
@click.option("--title", default="")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
def generate(email, meeting_type, countries, period_from, period_to, sections, title, out):
    """Generate a brief and write the PDF to --out."""
    user = find_user(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active account {email}")
    if user.role not in services.REQUESTERS:
        raise click.ClickException(f"a {user.role} cannot ask for briefs")
    data = {
        "meeting_type": meeting_type,
        "title": title,
        "countries": countries,
        "period_from": period_from,
        "period_to": period_to,
        "sections": None if sections == "all" else sections.split(","),
    }
    try:
        brief = services.request_brief(user, data)
    except DomainError as exc:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
        raise click.ClickException(f"{exc.message} {details}") from exc
    db.session.commit()
    jobs.generate(brief.id)
    brief = db.session.get(Brief, brief.id)
    if brief.status != "done":
        raise click.ClickException(brief.error or "the brief failed")
    with open(out, "wb") as handle:
        handle.write(brief.pdf)
    click.echo(f"{out}: {brief.size} bytes, sha256 {brief.sha256}")
