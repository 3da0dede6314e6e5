"""Case-level figures by country and year, the reconciliation with reported aggregates,
and the country profile; each a handful of grouped queries."""

from datetime import date

import sqlalchemy as sa

from registry.blueprints.jits.models import Jit
from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.prosecutions.models import (
    METRICS,
    AnnualStatistic,
    CaseStage,
    CaseVictimCount,
    Defendant,
    ProsecutionCase,
)
from registry.core.sql import grouped_percentiles
from registry.extensions import db

# The date of a case's earliest known stage: it places the victims a case identified (and the
# case in the profile) in a year, without taking an unknown investigation start for known.
FIRST_KNOWN = (
    sa.select(sa.func.min(CaseStage.date))
    .where(CaseStage.case_id == ProsecutionCase.id)
    .correlate(ProsecutionCase)
    .scalar_subquery()
)
# metric -> (date column that places it in a year, extra condition)
PERSON_METRICS = {
    "persons_investigated": (ProsecutionCase.investigation_started, None),
    "persons_prosecuted": (ProsecutionCase.prosecution_started, None),
    "persons_convicted": (ProsecutionCase.verdict_date, Defendant.outcome == "convicted"),
}


def case_figures(countries, first_year, last_year):
    """{(country, year, metric): {"total", "female", "male"}} computed from the case records."""
    return _counted(countries, date(first_year, 1, 1), date(last_year, 12, 31), by_year=True)


def period_figures(countries, start, end):
    """{(country, metric): {"total", "female", "male"}} over the days start..end (inclusive)."""
    counted = _counted(countries, start, end, by_year=False)
    return {(country, metric): cell for (country, _none, metric), cell in counted.items()}


def _counted(countries, start, end, by_year):
    out = {}

    def add(country, year, metric, sex, n):
        key = (country, int(year) if by_year else None, metric)
        cell = out.setdefault(key, {"total": 0, "female": 0, "male": 0})
        cell["total"] += n
        if sex in ("female", "male"):
            cell[sex] += n

    def grouped(stmt, when, sex):
        keys = [ProsecutionCase.country, *([sa.extract("year", when)] if by_year else []), sex]
        stmt = stmt.add_columns(*keys).where(
            ProsecutionCase.country.in_(countries), when.between(start, end)
        )
        for row in db.session.execute(stmt.group_by(*keys)):
            n, country, *year, sex_value = row
            yield country, (year[0] if by_year else None), sex_value, int(n)

    for metric, (when, condition) in PERSON_METRICS.items():
        stmt = sa.select(sa.func.count()).select_from(ProsecutionCase).join(Defendant)
        if condition is not None:
            stmt = stmt.where(condition)
        for country, year, sex, n in grouped(stmt, when, Defendant.sex):
            add(country, year, metric, sex, n)
    victims = (
        sa.select(sa.func.sum(CaseVictimCount.count))
        .select_from(ProsecutionCase)
        .join(CaseVictimCount)
    )
    for country, year, sex, n in grouped(victims, FIRST_KNOWN, CaseVictimCount.sex):
        add(country, year, "victims_identified", sex, n)
    return out


def reconciliation(country, first_year, last_year):
    """Rows of (year, metric, computed from cases, [reported per source with the difference])."""
    computed = case_figures([country], first_year, last_year)
    reported = {}
    for stat in db.session.scalars(
        sa.select(AnnualStatistic)
        .where(
            AnnualStatistic.country == country, AnnualStatistic.year.between(first_year, last_year)
        )
        .order_by(AnnualStatistic.source)
    ):
        reported.setdefault((stat.year, stat.metric), []).append(stat)
    rows = []
    for year in range(last_year, first_year - 1, -1):
        for metric in METRICS:
            cases = computed.get((country, year, metric), {"total": 0, "female": 0, "male": 0})
            sources = [
                {
                    "source": s.source,
                    "total": s.total,
                    "female": s.female,
                    "male": s.male,
                    "difference": s.total - cases["total"],
                }
                for s in reported.get((year, metric), [])
            ]
            rows.append({"year": year, "metric": metric, "cases": cases, "reported": sources})
    return rows


def profile(country, today=None):
    """Five years of figures for one country, from the records."""
    today = today or date.today()
    first, last = today.year - 4, today.year
    year = sa.extract("year", FIRST_KNOWN)
    cases = {}
    for y, crime, stage, n in db.session.execute(
        sa.select(year, ProsecutionCase.crime_type, ProsecutionCase.stage, sa.func.count())
        .where(ProsecutionCase.country == country, year.between(first, last))
        .group_by(year, ProsecutionCase.crime_type, ProsecutionCase.stage)
    ):
        cases.setdefault(int(y), {}).setdefault(crime, {})[stage] = n
    people = case_figures([country], first, last)
    sentences = (
        sa.select(sa.literal("all").label("scope"), Defendant.sentence_months.label("months"))
        .join(ProsecutionCase, Defendant.case_id == ProsecutionCase.id)
        .where(
            ProsecutionCase.country == country,
            Defendant.outcome == "convicted",
            Defendant.sentence_months.is_not(None),
            sa.extract("year", ProsecutionCase.verdict_date).between(first, last),
        )
    )
    median = db.session.execute(
        grouped_percentiles(sentences.subquery("s"), ("scope",), "months", {"median": 50})
    ).first()
    jits = db.session.scalar(sa.select(sa.func.count(Jit.id)).where(Jit.in_countries([country])))
    mla = db.session.scalar(
        sa.select(sa.func.count(MlaRequest.id)).where(MlaRequest.in_countries([country]))
    )
    return {
        "years": list(range(last, first - 1, -1)),
        "cases": cases,
        "people": people,
        "median_sentence": round(float(median.median), 1) if median else None,
        "convicted_with_sentence": median.count if median else 0,
        "jits": jits,
        "mla_requests": mla,
    }
