"""Dashboard figures: each a grouped query over the records the user may see."""

from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.jits.models import Jit, JitMember
from registry.blueprints.meetings.models import ActionItem, Meeting
from registry.blueprints.mla import stats as mla_stats
from registry.blueprints.mla.models import PENDING, MlaRequest
from registry.blueprints.prosecutions.models import (
    ProsecutionCase,
    prosecution_jit,
    prosecution_mla,
)
from registry.blueprints.training.models import Participation, Practitioner, Training
from registry.core import settings
from registry.core.permissions import scoped
from registry.core.sql import days_between
from registry.extensions import db


def snapshot(user, country, today):
    """A country's figures for its focal point (or anyone who may see them)."""
    overdue_days = settings.get("MLA_OVERDUE_DAYS")
    year_start = date(today.year, 1, 1)
    ages = mla_stats.pending_by_age(user, mla_stats.Filters(country=country), today, overdue_days)
    active_jits = db.session.scalar(
        scoped(sa.select(sa.func.count(Jit.id)), user, Jit).where(
            Jit.active_clause(today), Jit.in_countries([country])
        )
    )
    items = db.session.execute(
        scoped(
            sa.select(
                sa.func.count(), sa.func.sum(sa.case((ActionItem.due_date < today, 1), else_=0))
            ),
            user,
            ActionItem,
        ).where(ActionItem.status == "open", ActionItem.owner_country == country)
    ).one()
    trained = dict(
        db.session.execute(
            scoped(
                sa.select(
                    Practitioner.sex, sa.func.count(sa.distinct(Practitioner.id))
                ).select_from(Participation),
                user,
                Participation,
            )
            .join(Practitioner, Practitioner.id == Participation.practitioner_id)
            .join(Training, Training.id == Participation.training_id)
            .where(Training.start_date >= year_start, Training.country == country)
            .group_by(Practitioner.sex)
        ).all()
    )
    trainings = db.session.scalar(
        scoped(sa.select(sa.func.count(Training.id)), user, Training).where(
            Training.start_date >= year_start, Training.country == country
        )
    )
    return {
        "ages": ages,
        "overdue_days": overdue_days,
        "active_jits": active_jits,
        "open_items": items[0] or 0,
        "overdue_items": int(items[1] or 0),
        "trainings": trainings,
        "trained_by_sex": trained,
        "trend": prosecution_trend(user, [country], today),
    }


def prosecution_trend(user, countries, today):
    """Cases whose prosecution started, per year and crime type, over the last five years."""
    year = sa.extract("year", ProsecutionCase.prosecution_started)
    rows = db.session.execute(
        scoped(sa.select(year, ProsecutionCase.crime_type, sa.func.count()), user, ProsecutionCase)
        .where(ProsecutionCase.country.in_(countries), year.between(today.year - 4, today.year))
        .group_by(year, ProsecutionCase.crime_type)
    ).all()
    years = list(range(today.year - 4, today.year + 1))
    table = {crime: [0] * len(years) for crime in ("thb", "som")}
    for y, crime, n in rows:
        table[crime][years.index(int(y))] = n
    return {"years": years, **table}


def regional(user, countries, today):
    """Per country: pending and overdue MLA requests, turnaround this year, active JITs, cases."""
    overdue_days = settings.get("MLA_OVERDUE_DAYS")
    age = days_between(sa.literal(today, sa.Date), MlaRequest.date_sent)
    pending = {}
    for column in (MlaRequest.requesting_country, MlaRequest.requested_country):
        for country, n, late in db.session.execute(
            scoped(
                sa.select(
                    column, sa.func.count(), sa.func.sum(sa.case((age > overdue_days, 1), else_=0))
                ),
                user,
                MlaRequest,
            )
            .where(MlaRequest.status.in_(PENDING), column.in_(countries))
            .group_by(column)
        ):
            cell = pending.setdefault(country, [0, 0])
            cell[0] += n
            cell[1] += int(late or 0)
    summary = mla_stats.country_summary(user, countries, date(today.year, 1, 1), today)
    jits = dict(
        db.session.execute(
            scoped(sa.select(JitMember.country_code, sa.func.count()).select_from(Jit), user, Jit)
            .join(JitMember, JitMember.jit_id == Jit.id)
            .where(Jit.active_clause(today), JitMember.country_code.in_(countries))
            .group_by(JitMember.country_code)
        ).all()
    )
    cases = dict(
        db.session.execute(
            scoped(sa.select(ProsecutionCase.country, sa.func.count()), user, ProsecutionCase)
            .where(
                ProsecutionCase.country.in_(countries),
                ProsecutionCase.prosecution_started >= date(today.year, 1, 1),
            )
            .group_by(ProsecutionCase.country)
        ).all()
    )
    return {
        c: {
            "pending": pending.get(c, [0, 0])[0],
            "overdue": pending.get(c, [0, 0])[1],
            "answered": summary[c]["answered"],
            "median_days": summary[c]["median_days"],
            "active_jits": jits.get(c, 0),
            "cases": cases.get(c, 0),
        }
        for c in countries
    }


def corridor(user, a, b, today):
    """Cooperation between two countries: MLA both ways, JITs and meetings together, linked cases."""
    directions = {}
    for requesting, requested in ((a, b), (b, a)):
        rows = [
            r
            for r in mla_stats.turnaround(user, "pair", mla_stats.Filters(country=requesting))
            if (r["requesting_country"], r["requested_country"]) == (requesting, requested)
        ]
        pending = db.session.scalar(
            scoped(sa.select(sa.func.count(MlaRequest.id)), user, MlaRequest).where(
                MlaRequest.requesting_country == requesting,
                MlaRequest.requested_country == requested,
                MlaRequest.status.in_(PENDING),
            )
        )
        directions[(requesting, requested)] = {
            "answered": rows[0] if rows else None,
            "pending": pending,
        }
    both_jits = scoped(sa.select(Jit.id), user, Jit).where(
        Jit.in_countries([a]), Jit.in_countries([b])
    )
    both_meetings = scoped(sa.select(Meeting.id), user, Meeting).where(
        Meeting.in_countries([a]), Meeting.in_countries([b])
    )
    pair_mla = scoped(sa.select(MlaRequest.id), user, MlaRequest).where(
        sa.or_(
            sa.and_(MlaRequest.requesting_country == a, MlaRequest.requested_country == b),
            sa.and_(MlaRequest.requesting_country == b, MlaRequest.requested_country == a),
        )
    )
    linked_cases = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(ProsecutionCase.id)))
        .outerjoin(prosecution_mla, prosecution_mla.c.case_id == ProsecutionCase.id)
        .outerjoin(prosecution_jit, prosecution_jit.c.case_id == ProsecutionCase.id)
        .where(
            sa.or_(
                prosecution_mla.c.mla_request_id.in_(pair_mla),
                prosecution_jit.c.jit_id.in_(both_jits),
            )
        )
        .where(ProsecutionCase.id.in_(scoped(sa.select(ProsecutionCase.id), user, ProsecutionCase)))
    )
    recent = today - timedelta(days=5 * 365)
    return {
        "directions": directions,
        "jits": db.session.scalar(sa.select(sa.func.count()).select_from(both_jits.subquery())),
        "meetings": db.session.scalar(
            sa.select(sa.func.count()).select_from(
                both_meetings.where(Meeting.date >= recent).subquery()
            )
        ),
        "linked_cases": linked_cases,
        "meeting_list": db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.id.in_(both_meetings))
            .order_by(Meeting.date.desc())
            .limit(10)
        ).all(),
    }
