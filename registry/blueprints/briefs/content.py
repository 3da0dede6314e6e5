"""Gather a brief's figures with the requesting user's scope, with grouped queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.mla import stats as mla_stats
from registry.blueprints.reference.models import Country
from registry.core import settings
from registry.core.charts import Series, make_chart
from registry.extensions import db

SMALL_CELL = 5  # victim counts from 1 to 4 print as "<5" (DESIGN.md §5)


def suppress(value):
    """Print small victim counts as "<5" so that no victim can be singled out."""
    if value is None:
        return "—"
    return "<5" if 0 < value < SMALL_CELL else value


def previous_period(start, end):
    """The period of equal length just before [start, end]."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


@dataclass
class Content:
    countries: list
    period: tuple
    previous: tuple
    as_of: date
    sections: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)


def gather(user, brief, as_of):
    """Collect the figures of every section the brief asks for."""
    countries = db.session.scalars(
        sa.select(Country).where(Country.iso3.in_(brief.countries)).order_by(Country.name)
    ).all()
    codes = [c.iso3 for c in countries]
    period = (brief.period_from, brief.period_to)
    content = Content(countries, period, previous_period(*period), as_of)
    wanted = set(brief.sections)
    if wanted & {"mla", "summary"}:
        content.sections["mla"] = _mla(user, codes, period, content.previous, as_of)
    return content


def draw(content):
    """Make the charts of the gathered sections."""
    mla = content.sections.get("mla")
    if mla:
        names = {c.iso3: c.name for c in content.countries}
        content.charts["mla"] = make_chart(
            "bar",
            "MLA requests sent and received in the period",
            [names[code] for code in mla["by_country"]],
            [
                Series("Sent", [row["sent"] for row in mla["by_country"].values()]),
                Series("Received", [row["received"] for row in mla["by_country"].values()]),
            ],
            y_title="Requests",
        )
    return content


def _mla(user, codes, period, previous, as_of):
    overdue_days = settings.get("MLA_OVERDUE_DAYS")
    return {
        "by_country": mla_stats.country_summary(user, codes, *period),
        "overall": mla_stats.overall(user, codes, *period),
        "previous": mla_stats.overall(user, codes, *previous),
        "pending": mla_stats.pending_by_age(
            user, mla_stats.Filters(countries=tuple(codes)), min(as_of, period[1]), overdue_days
        ),
        "overdue_days": overdue_days,
    }
