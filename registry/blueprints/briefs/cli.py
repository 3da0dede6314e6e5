"""flask --app wsgi briefs generate ...: render a brief synchronously, as the worker does."""

import os
from datetime import date, timedelta

import click
from flask.cli import AppGroup

from registry.blueprints.auth.services import find_user
from registry.blueprints.briefs import jobs, services
from registry.blueprints.briefs.models import Brief
from registry.blueprints.meetings.models import Meeting
from registry.core.errors import DomainError
from registry.extensions import db

briefs_cli = AppGroup("briefs", help="Meeting briefs.")


def _day(_ctx, _param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD") from exc


@briefs_cli.command("generate")
@click.option("--as", "email", required=True, help="Build with this user's scope.")
@click.option("--meeting", "meeting_id", type=int, help="Brief this recorded meeting.")
@click.option("--meeting-type", help="Required without --meeting.")
@click.option(
    "--countries", help="ISO3 codes separated by commas, or all (default: the meeting's)."
)
@click.option("--from", "period_from", callback=_day, help="Default: a year before the meeting.")
@click.option("--to", "period_to", callback=_day, help="Default: the day before the meeting.")
@click.option("--sections", default="all", help="all, or section names separated by commas.")
@click.option("--title", default="")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
def generate(
    email, meeting_id, meeting_type, countries, period_from, period_to, sections, title, out
):
    """Generate a brief and write the PDF to --out (and its .docx copy beside it)."""
    user = find_user(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active account {email}")
    if user.role not in services.REQUESTERS:
        raise click.ClickException(f"a {user.role} cannot ask for briefs")
    meeting = db.session.get(Meeting, meeting_id) if meeting_id else None
    if meeting_id and meeting is None:
        raise click.ClickException(f"no meeting {meeting_id}")
    if meeting is not None:
        countries = countries or ",".join(meeting.countries)
        period_to = period_to or meeting.date - timedelta(days=1)
        period_from = period_from or period_to - timedelta(days=364)
    data = {
        "meeting_id": meeting_id,
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
    docx = os.path.splitext(out)[0] + ".docx"
    with open(docx, "wb") as handle:
        handle.write(brief.docx)
    click.echo(f"{out}: {brief.size} bytes, sha256 {brief.sha256}")
    click.echo(f"{docx}: {len(brief.docx)} bytes, sha256 {brief.docx_sha256}")
