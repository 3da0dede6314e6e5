"""Gather a brief's figures with the requesting user's scope, with grouped queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.indicators import services as indicator_services
from registry.blueprints.jits.models import VICTIM_FIELDS, Jit
from registry.blueprints.meetings import updates as meeting_updates
from registry.blueprints.meetings.models import MEETING_TYPES, ActionItem, Meeting
from registry.blueprints.mla import stats as mla_stats
from registry.blueprints.prosecutions.figures import period_figures, reconciliation
from registry.blueprints.prosecutions.models import METRICS
from registry.blueprints.reference.models import Country
from registry.blueprints.workplan.models import WorkPlanItem
from registry.core import settings
from registry.core.charts import Series, make_chart
from registry.core.permissions import country_scope, scoped
from registry.core.roles import UNODC
from registry.extensions import db


@dataclass(frozen=True)
class _Region:
    """Stands for an asker who sees every record, to count the regional totals that a
    country-scoped asker gets only under `regional_total`'s rule."""

    role: str = UNODC
    country_code: None = None


REGION = _Region()
# The prosecutions section's columns.
BRIEF_METRICS = ("persons_prosecuted", "persons_convicted", "victims_identified")


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
    # For a country-scoped asker: {section: regional total(s), None where withheld}.
    regional: dict | None = None


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
    if wanted & {"indicators", "summary", "jits", "meetings", "training", "prosecutions"}:
        content.sections["indicators"] = _indicators(user, codes, period, content.previous)
    if wanted & {"jits", "summary"}:
        content.sections["jits"] = _jits(user, codes, period, as_of)
    if wanted & {"meetings", "summary"}:
        content.sections["meetings"] = _meetings(user, codes, period, as_of)
    if "prosecutions" in wanted:
        content.sections["prosecutions"] = _prosecutions(user, codes, period)
    if "updates" in wanted:
        content.sections["updates"] = (
            meeting_updates.submitted(user, brief.meeting, codes) if brief.meeting else {}
        )
    if "workplan" in wanted:
        content.sections["workplan"] = db.session.scalars(
            sa.select(WorkPlanItem).order_by(WorkPlanItem.work_plan, WorkPlanItem.id)
        ).all()
    if "statistics" in wanted:
        content.sections["statistics"] = _statistics(user, codes, period)
    if country_scope(user) is not None:
        content.regional = _regional(user.country_code, codes, period, content.sections)
    return content


def regional_total(own, region, mine):
    """The region's total of a figure for an asker who sees only `own`'s records, or None when
    printing it would reveal another single country's figure (docs/architecture.md §4).

    `region` and `mine` are (total, {country: count}) over every record of the brief's
    countries and over the asker's. The records outside the asker's scope number
    region − mine; when one other country takes part in all of them (or there are none), that
    country's figure is the difference plus what the asker already sees, so it is withheld."""
    (total, per_country), (own_total, own_per_country) = region, mine
    outside = total - own_total
    if outside <= 0:
        return None
    for country, count in per_country.items():
        if country != own and count - own_per_country.get(country, 0) >= outside:
            return None
    return total


def _regional(own, codes, period, sections):
    """Regional totals of the gathered sections, each under `regional_total`'s rule."""
    regional = {}
    if mla := sections.get("mla"):
        region = mla_stats.country_summary(REGION, codes, *period)
        regional["mla"] = regional_total(
            own,
            (mla_stats.overall(REGION, codes, *period)["answered"], _answered(region)),
            (mla["overall"]["answered"], _answered(mla["by_country"])),
        )
    if indicators := sections.get("indicators"):
        regional["indicators"] = {}
        for code, mine in indicators["by_code"].items():
            region = indicator_services.values(REGION, code, *period, countries=codes)
            regional["indicators"][code] = regional_total(
                own,
                (region["total"], _per_country(region["rows"])),
                (mine["now"]["total"], mine["per_country"]),
            )
    if prosecutions := sections.get("prosecutions"):
        figures = period_figures(codes, *period)
        regional["prosecutions"] = {}
        for metric in BRIEF_METRICS:
            region = {c: figures.get((c, metric), {"total": 0})["total"] for c in codes}
            mine = prosecutions["totals"].get((own, metric), {"total": 0})["total"]
            regional["prosecutions"][metric] = regional_total(
                own, (sum(region.values()), region), (mine, {own: mine})
            )
    return regional


def _answered(by_country):
    return {country: row["answered"] for country, row in by_country.items()}


def _per_country(rows):
    per_country = {}
    for row in rows:
        per_country[row["country"]] = per_country.get(row["country"], 0) + row["value"]
    return per_country


def draw(content):
    """Make the charts of the gathered sections."""
    names = {c.iso3: c.name for c in content.countries}
    indicators = content.sections.get("indicators")
    if indicators:
        jits = indicators["by_code"]["2.6.2"]["per_country"]
        content.charts["jits"] = make_chart(
            "bar",
            "Joint investigation teams established in the period, per member country",
            [names[c] for c in names],
            [Series("JITs", [jits.get(c, 0) for c in names])],
            y_title="Teams",
        )
        cases = indicators["cases_by_country"]
        content.charts["prosecutions"] = make_chart(
            "stacked_bar",
            "Cases prosecuted in the period (outcome 2.3)",
            [names[c] for c in names],
            [
                Series("THB", [cases.get((c, "thb"), 0) for c in names]),
                Series("SOM", [cases.get((c, "som"), 0) for c in names]),
            ],
            y_title="Cases",
        )
        trained = indicators["trained_by_country"]
        content.charts["training"] = make_chart(
            "stacked_bar",
            "Practitioners who improved (2.5.1 and 2.5.2), by sex",
            [names[c] for c in names],
            [
                Series(label, [trained.get((c, sex), 0) for c in names])
                for sex, label in (
                    ("female", "Women"),
                    ("male", "Men"),
                    ("other_or_unknown", "Other or unknown"),
                )
            ],
            y_title="Persons",
        )
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
        "survival": _mla_survival(user, codes, period, as_of),
        "small_number": mla_stats.SMALL_NUMBER,
    }


def _mla_survival(user, codes, period, as_of):
    """Kaplan–Meier over the requests sent in the period, followed to its end (or as-of)."""
    cohort = mla_stats.Cohort(
        as_of=min(as_of, period[1]), sent_from=period[0], sent_to=period[1], countries=tuple(codes)
    )
    rows = mla_stats.survival(user, "all", cohort)
    return rows[0] if rows else None


def _indicators(user, codes, period, previous):
    by_code = {}
    for indicator in indicator_services.indicators():
        now = indicator_services.values(user, indicator.code, *period, countries=codes)
        before = indicator_services.values(user, indicator.code, *previous, countries=codes)
        by_code[indicator.code] = {
            "indicator": indicator,
            "now": now,
            "before": before,
            "per_country": _per_country(now["rows"]),
        }
    cases = {(r["country"], r["crime_type"]): r["value"] for r in by_code["2.3"]["now"]["rows"]}
    trained = {}
    for code in ("2.5.1", "2.5.2"):
        for row in by_code[code]["now"]["rows"]:
            trained[(row["country"], row["sex"])] = (
                trained.get((row["country"], row["sex"]), 0) + row["value"]
            )
    return {"by_code": by_code, "cases_by_country": cases, "trained_by_country": trained}


def _jits(user, codes, period, as_of):
    base = scoped(sa.select(Jit), user, Jit).where(Jit.in_countries(codes))
    outcomes = db.session.execute(
        base.with_only_columns(
            sa.func.count(Jit.id),
            *(
                sa.func.coalesce(sa.func.sum(getattr(Jit, f)), 0)
                for f in ("arrests", "prosecutions_opened", *VICTIM_FIELDS)
            ),
        ).where(Jit.agreement_signed.between(*period))
    ).one()
    active = db.session.scalar(
        base.with_only_columns(sa.func.count(Jit.id)).where(Jit.active_clause(as_of))
    )
    victims = dict(zip(VICTIM_FIELDS, outcomes[3:], strict=True))
    return {
        "established": outcomes[0],
        "arrests": outcomes[1],
        "prosecutions_opened": outcomes[2],
        "victims": victims,
        "victims_total": sum(victims.values()),
        "active": active,
    }


def _meetings(user, codes, period, as_of):
    base = scoped(sa.select(Meeting), user, Meeting).where(
        Meeting.in_countries(codes), Meeting.date.between(*period)
    )
    by_type = dict(
        db.session.execute(
            base.with_only_columns(Meeting.type, sa.func.count()).group_by(Meeting.type)
        ).all()
    )
    people = db.session.execute(
        base.with_only_columns(
            *(
                sa.func.coalesce(sa.func.sum(getattr(Meeting, f"participants_{s}")), 0)
                for s in ("female", "male", "other")
            )
        )
    ).one()
    items = scoped(sa.select(ActionItem), user, ActionItem).where(
        ActionItem.status == "open", ActionItem.owner_country.in_(codes)
    )
    open_items = dict(
        db.session.execute(
            items.with_only_columns(ActionItem.owner_country, sa.func.count()).group_by(
                ActionItem.owner_country
            )
        ).all()
    )
    overdue = db.session.scalar(
        items.with_only_columns(sa.func.count()).where(ActionItem.due_date < as_of)
    )
    return {
        "by_type": by_type,
        "types": MEETING_TYPES,
        "participants": dict(zip(("female", "male", "other"), people, strict=True)),
        "open_items": open_items,
        "overdue_items": overdue,
    }


def _prosecutions(user, codes, period):
    """Persons prosecuted, convicted and victims identified in the period, for the countries
    the asker may see (a country-scoped account sees its own country's only)."""
    scope = country_scope(user)
    shown = [code for code in codes if scope is None or code in scope]
    return {
        "totals": period_figures(shown, *period),
        "countries": shown,
        "left_out": len(codes) - len(shown),
    }


def _statistics(user, codes, period):
    """Per country the asker may see and year of the period: each metric's figures reported
    per source, as stored, next to the figure computed from the case records."""
    scope = country_scope(user)
    shown = [code for code in codes if scope is None or code in scope]
    by_country = {}
    for code in shown:
        rows = reconciliation(code, period[0].year, period[1].year)
        by_country[code] = [row for row in rows if row["reported"] or row["cases"]["total"]]
    return {"by_country": by_country, "metrics": METRICS, "left_out": len(codes) - len(shown)}
