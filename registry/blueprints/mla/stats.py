"""MLA turnaround analytics (docs/architecture.md §5), computed in SQL with a few grouped queries."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from registry.blueprints.mla.models import (
    FINAL_RESPONSES,
    PENDING,
    MlaAssistance,
    MlaRequest,
    MlaStatusChange,
)
from registry.core.permissions import scoped
from registry.core.sql import days_between, grouped_percentiles
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


def pending_on(as_of):
    """SQL: the request was pending on `as_of`. The status column is today's; for an earlier
    day the last status change dated on or before it decides, so that a request answered since
    still counts as pending then (a brief's period that ended before today)."""
    if as_of >= date.today():
        return MlaRequest.status.in_(PENDING)
    then = (
        sa.select(MlaStatusChange.status)
        .where(MlaStatusChange.mla_request_id == MlaRequest.id, MlaStatusChange.date <= as_of)
        .order_by(MlaStatusChange.date.desc(), MlaStatusChange.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return then.in_(PENDING)


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
        .where(pending_on(as_of), MlaRequest.date_sent <= as_of)
    )
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
