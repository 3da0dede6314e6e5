"""MLA turnaround analytics (docs/architecture.md §5), computed in SQL with a few grouped queries."""

import statistics
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import sqlalchemy as sa

from registry.blueprints.mla.models import (
    ENDED,
    FINAL_RESPONSES,
    PENDING,
    MlaAssistance,
    MlaRequest,
    MlaStatusChange,
)
from registry.core.labels import label
from registry.core.permissions import scoped
from registry.core.sql import days_between, grouped_percentiles
from registry.core.survival import product_limit, quantile_day
from registry.extensions import db

GROUPINGS = {
    "pair": ("requesting_country", "requested_country"),
    "legal_basis": ("legal_basis",),
    "assistance_type": ("assistance_type",),
    "year": ("year",),
}
AGE_BANDS = (
    ("0–30 days", 0, 30),
    ("31–90 days", 31, 90),
    ("91–180 days", 91, 180),
    ("over 180 days", 181, None),
)


@dataclass(frozen=True)
class Filters:
    """Period of the final response (turnaround) and an optional country taking part."""

    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    countries: tuple = ()


def _base(user, filters):
    stmt = scoped(sa.select(MlaRequest.id), user, MlaRequest)
    if filters.country:
        stmt = stmt.where(MlaRequest.in_countries([filters.country]))
    if filters.countries:
        stmt = stmt.where(MlaRequest.in_countries(filters.countries))
    return stmt


def turnaround(user, group_by, filters):
    """Rows of {group keys, count, median_days, p90_days} over requests answered in the period."""
    keys = GROUPINGS[group_by]
    columns = {
        "requesting_country": MlaRequest.requesting_country,
        "requested_country": MlaRequest.requested_country,
        "legal_basis": MlaRequest.legal_basis,
        "year": sa.extract("year", MlaRequest.date_sent),
        "assistance_type": MlaAssistance.type,
    }
    stmt = _base(user, filters).with_only_columns(
        *(columns[k].label(k) for k in keys),
        days_between(MlaRequest.final_date, MlaRequest.date_sent).label("days"),
    )
    if group_by == "assistance_type":
        stmt = stmt.join(MlaAssistance, MlaAssistance.mla_request_id == MlaRequest.id)
    stmt = stmt.where(MlaRequest.status.in_(FINAL_RESPONSES), MlaRequest.date_sent.is_not(None))
    if filters.date_from:
        stmt = stmt.where(MlaRequest.final_date >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(MlaRequest.final_date <= filters.date_to)
    query = grouped_percentiles(
        stmt.subquery("answered"), keys, "days", {"median_days": 50, "p90_days": 90}
    )
    return [
        {
            **{k: (int(row._mapping[k]) if k == "year" else row._mapping[k]) for k in keys},
            "count": row.count,
            "median_days": round(float(row.median_days), 1),
            "p90_days": round(float(row.p90_days), 1),
        }
        for row in db.session.execute(query)
    ]


def status_counts(user, filters):
    """Number of requests per current status, for requests sent (or drafted) in the period."""
    stmt = _base(user, filters).with_only_columns(MlaRequest.status, sa.func.count())
    if filters.date_from:
        stmt = stmt.where(
            sa.or_(MlaRequest.date_sent >= filters.date_from, MlaRequest.date_sent.is_(None))
        )
    if filters.date_to:
        stmt = stmt.where(
            sa.or_(MlaRequest.date_sent <= filters.date_to, MlaRequest.date_sent.is_(None))
        )
    return dict(db.session.execute(stmt.group_by(MlaRequest.status)).all())


def pending_by_age(user, filters, as_of, overdue_days):
    """Pending requests per age band on the as-of date, and how many are overdue."""
    age = days_between(sa.literal(as_of, sa.Date), MlaRequest.date_sent)
    band_columns = [
        sa.func.sum(
            sa.case(((age >= low) & (age <= high if high is not None else sa.true()), 1), else_=0)
        ).label(f"b{i}")
        for i, (_label, low, high) in enumerate(AGE_BANDS)
    ]
    stmt = (
        _base(user, filters)
        .with_only_columns(
            *band_columns,
            sa.func.sum(sa.case((age > overdue_days, 1), else_=0)).label("overdue"),
            sa.func.count().label("pending"),
        )
        .where(MlaRequest.date_sent <= as_of)
    )
    if as_of < date.today():
        # An earlier day (a brief's period that ended before today): the status that day, from
        # the history, so that a request answered since still counts as pending then.
        then = _status_on(as_of)
        stmt = stmt.join(then, then.c.mla_request_id == MlaRequest.id).where(
            then.c.status.in_(PENDING)
        )
    else:
        stmt = stmt.where(MlaRequest.status.in_(PENDING))
    row = db.session.execute(stmt).one()
    return {
        "bands": [(label, int(row[i] or 0)) for i, (label, _l, _h) in enumerate(AGE_BANDS)],
        "overdue": int(row.overdue or 0),
        "pending": int(row.pending or 0),
    }


def country_summary(user, countries, date_from, date_to):
    """Per country: requests sent and received in the period, answered in it, and turnaround.

    A request counts for both of its countries; sent and received by date sent, answered by
    date of the final response.
    """
    sides = (("requesting_country", "sent"), ("requested_country", "received"))
    flows = sa.union_all(
        *(
            scoped(
                sa.select(
                    getattr(MlaRequest, column).label("country"), sa.literal(kind).label("kind")
                ),
                user,
                MlaRequest,
            ).where(MlaRequest.date_sent.between(date_from, date_to))
            for column, kind in sides
        )
    ).subquery("flows")
    counts = {}
    for country, kind, n in db.session.execute(
        sa.select(flows.c.country, flows.c.kind, sa.func.count())
        .where(flows.c.country.in_(countries))
        .group_by(flows.c.country, flows.c.kind)
    ):
        counts.setdefault(country, {})[kind] = n
    answered = sa.union_all(
        *(
            scoped(
                sa.select(
                    getattr(MlaRequest, column).label("country"),
                    days_between(MlaRequest.final_date, MlaRequest.date_sent).label("days"),
                ),
                user,
                MlaRequest,
            ).where(
                MlaRequest.status.in_(FINAL_RESPONSES),
                MlaRequest.final_date.between(date_from, date_to),
            )
            for column, _kind in sides
        )
    ).subquery("answered")
    turnaround = {
        row.country: row
        for row in db.session.execute(
            grouped_percentiles(
                sa.select(answered)
                .where(answered.c.country.in_(countries))
                .subquery("answered_in"),
                ("country",),
                "days",
                {"median_days": 50, "p90_days": 90},
            )
        )
    }
    return {
        country: {
            "sent": counts.get(country, {}).get("sent", 0),
            "received": counts.get(country, {}).get("received", 0),
            "answered": turnaround[country].count if country in turnaround else 0,
            "median_days": round(float(turnaround[country].median_days), 1)
            if country in turnaround
            else None,
            "p90_days": round(float(turnaround[country].p90_days), 1)
            if country in turnaround
            else None,
        }
        for country in countries
    }


def overall(user, countries, date_from, date_to):
    """Requests answered in the period with one of the countries a party: count, median, p90."""
    stmt = scoped(
        sa.select(
            sa.literal("all").label("scope"),
            days_between(MlaRequest.final_date, MlaRequest.date_sent).label("days"),
        ),
        user,
        MlaRequest,
    ).where(
        MlaRequest.status.in_(FINAL_RESPONSES),
        MlaRequest.final_date.between(date_from, date_to),
        MlaRequest.in_countries(countries),
    )
    row = db.session.execute(
        grouped_percentiles(
            stmt.subquery("overall"), ("scope",), "days", {"median_days": 50, "p90_days": 90}
        )
    ).first()
    if row is None:
        return {"answered": 0, "median_days": None, "p90_days": None}
    return {
        "answered": row.count,
        "median_days": round(float(row.median_days), 1),
        "p90_days": round(float(row.p90_days), 1),
    }


# Time to a final response over requests sent in a period (docs/architecture.md §5).
SURVIVAL_GROUPINGS = {
    "all": (),
    "pair": ("requesting_country", "requested_country"),
    "requested_country": ("requested_country",),
    "requesting_country": ("requesting_country",),
    "legal_basis": ("legal_basis",),
    "assistance_type": ("assistance_type",),
    "urgency": ("urgency",),
    "year": ("year",),
}
# Fewer answered requests than this and a median or percentile is not printed.
SMALL_NUMBER = 5


@dataclass(frozen=True)
class Cohort:
    """Requests sent from `sent_from` to `sent_to` (inclusive), followed up to `as_of`."""

    as_of: date
    sent_from: date | None = None
    sent_to: date | None = None
    country: str | None = None
    countries: tuple = ()


def _status_on(as_of):
    """Each request's latest status change dated on or before `as_of`."""
    ranked = (
        sa.select(
            MlaStatusChange.mla_request_id,
            MlaStatusChange.status,
            MlaStatusChange.date,
            sa.func.row_number()
            .over(
                partition_by=MlaStatusChange.mla_request_id,
                order_by=(MlaStatusChange.date.desc(), MlaStatusChange.id.desc()),
            )
            .label("rn"),
        )
        .where(MlaStatusChange.date <= as_of)
        .subquery("ranked")
    )
    return (
        sa.select(ranked.c.mla_request_id, ranked.c.status, ranked.c.date)
        .where(ranked.c.rn == 1)
        .subquery("status_on")
    )


def observations(user, group_by, cohort):
    """{group key: [(days, answered)]}: one observation per request sent in the period.

    As of `cohort.as_of`, from the status history: a final response is an event at its date;
    withdrawn or lapsed is censored at its date; anything else is pending, censored at as_of.
    """
    keys = SURVIVAL_GROUPINGS[group_by]
    columns = {
        "requesting_country": MlaRequest.requesting_country,
        "requested_country": MlaRequest.requested_country,
        "legal_basis": MlaRequest.legal_basis,
        "urgency": MlaRequest.urgency,
        "year": sa.extract("year", MlaRequest.date_sent),
        "assistance_type": MlaAssistance.type,
    }
    last = _status_on(cohort.as_of)
    stmt = (
        _base(user, cohort)
        .with_only_columns(
            *(columns[k].label(k) for k in keys), MlaRequest.date_sent, last.c.status, last.c.date
        )
        .join(last, last.c.mla_request_id == MlaRequest.id, isouter=True)
        .where(MlaRequest.date_sent <= cohort.as_of)
    )
    if group_by == "assistance_type":
        stmt = stmt.join(MlaAssistance, MlaAssistance.mla_request_id == MlaRequest.id)
    if cohort.sent_from:
        stmt = stmt.where(MlaRequest.date_sent >= cohort.sent_from)
    if cohort.sent_to:
        stmt = stmt.where(MlaRequest.date_sent <= cohort.sent_to)
    groups = {}
    for row in db.session.execute(stmt):
        key = tuple(int(row._mapping[k]) if k == "year" else row._mapping[k] for k in keys)
        if row.status in FINAL_RESPONSES:
            observation = ((row.date - row.date_sent).days, True)
        elif row.status in ENDED:
            observation = ((row.date - row.date_sent).days, False)
        else:
            observation = ((cohort.as_of - row.date_sent).days, False)
        groups.setdefault(key, []).append(observation)
    return dict(sorted(groups.items()))


def survival(user, group_by, cohort):
    """Rows of {group keys, n, events, censored, medians, km_p75_days, curve} per group."""
    keys = SURVIVAL_GROUPINGS[group_by]
    rows = []
    for key, group in observations(user, group_by, cohort).items():
        curve = product_limit(group)
        answered = sorted(days for days, event in group if event)
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "n": len(group),
                "events": len(answered),
                "censored": len(group) - len(answered),
                "longest_days": max(days for days, _event in group),
                "naive_median_days": round(float(statistics.median(answered)), 1)
                if answered
                else None,
                "km_median_days": quantile_day(curve, Fraction(1, 2)),
                "km_p75_days": quantile_day(curve, Fraction(1, 4)),
                "curve": [[day, round(float(s), 4)] for day, s in curve],
            }
        )
    return rows


def group_labels(row, keys, country_names):
    """The words for a row's group keys: country names, else the label catalogue's."""
    return {
        k: country_names.get(row[k], row[k]) if k.endswith("_country") else label(k, row[k])
        for k in keys
    }


# The lifecycle steps between sending and a final response, in order.
STEPS = ("sent", "received", "acknowledged", "in_execution", "final")


def stage_durations(user, cohort):
    """Per step: how many requests moved on from it and the median days until the next step.

    Each request sent in the period counts the days from the first date it reached a step to
    the first date it reached the next step recorded in its history (a skipped step counts in
    no stage); steps recorded after its first final response (a reopening) are left out.
    """
    step = sa.case(
        (MlaStatusChange.status.in_(FINAL_RESPONSES), "final"), else_=MlaStatusChange.status
    )
    stmt = (
        _base(user, cohort)
        .with_only_columns(MlaRequest.id, step.label("step"), sa.func.min(MlaStatusChange.date))
        .join(MlaStatusChange, MlaStatusChange.mla_request_id == MlaRequest.id)
        .where(
            MlaStatusChange.status.in_((*PENDING, *FINAL_RESPONSES)),
            MlaStatusChange.date <= cohort.as_of,
            MlaRequest.date_sent.is_not(None),
        )
        .group_by(MlaRequest.id, step)
    )
    if cohort.sent_from:
        stmt = stmt.where(MlaRequest.date_sent >= cohort.sent_from)
    if cohort.sent_to:
        stmt = stmt.where(MlaRequest.date_sent <= cohort.sent_to)
    reached = {}
    for request_id, name, day in db.session.execute(stmt):
        reached.setdefault(request_id, {})[name] = day
    durations = {name: [] for name in STEPS[:-1]}
    for days in reached.values():
        end = days.get("final", date.max)
        present = [name for name in STEPS if name in days and days[name] <= end]
        for here, following in zip(present, present[1:], strict=False):
            durations[here].append((days[following] - days[here]).days)
    return [
        {
            "step": name,
            "requests": len(values),
            "median_days": statistics.median(values) if values else None,
        }
        for name, values in durations.items()
    ]
