"""Logframe indicator values computed from the records (docs/architecture.md §5), one grouped query each.

Every function takes the user (whose scope applies), the period and optional countries,
and returns {"rows": [{"country", "sex", "value", ...}], "total": N}. A record that concerns
several countries counts once for each of them and once in the total.
"""

import sqlalchemy as sa

from registry.blueprints.jits.models import Jit, JitMember
from registry.blueprints.meetings.models import Meeting, MeetingCountry
from registry.blueprints.prosecutions.models import CaseStage, ProsecutionCase
from registry.blueprints.reference.models import Agency
from registry.blueprints.training.models import (
    CRIMINAL_JUSTICE_ROLES,
    Participation,
    Practitioner,
    Training,
    TrainingTopic,
)
from registry.core import settings
from registry.core.permissions import scoped
from registry.extensions import db


def _rows(stmt, keys):
    return [dict(zip((*keys, "value"), row, strict=True)) for row in db.session.execute(stmt)]


def cases_prosecuted(user, start, end, countries=None):
    """2.3: cases whose prosecution stage started in the period, by country and crime type."""
    stmt = scoped(
        sa.select(ProsecutionCase.country, ProsecutionCase.crime_type, sa.func.count()),
        user,
        ProsecutionCase,
    )
    stmt = stmt.where(ProsecutionCase.prosecution_started.between(start, end))
    if countries:
        stmt = stmt.where(ProsecutionCase.country.in_(countries))
    rows = _rows(
        stmt.group_by(ProsecutionCase.country, ProsecutionCase.crime_type).order_by(
            ProsecutionCase.country, ProsecutionCase.crime_type
        ),
        ("country", "crime_type"),
    )
    for row in rows:
        row["sex"] = None
    return {
        "rows": rows,
        "total": sum(r["value"] for r in rows),
        "unknown_date": _prosecuted_on_unknown_date(user, countries),
    }


def _prosecuted_on_unknown_date(user, countries):
    """Cases that reached prosecution or a later stage with no known prosecution start: 2.3
    cannot place them in a period, so it leaves them out and says how many."""
    later = sa.select(CaseStage.case_id).where(
        CaseStage.stage.in_(("prosecution", "trial", "verdict", "appeal"))
    )
    stmt = scoped(sa.select(sa.func.count()), user, ProsecutionCase).where(
        ProsecutionCase.prosecution_started.is_(None), ProsecutionCase.id.in_(later)
    )
    if countries:
        stmt = stmt.where(ProsecutionCase.country.in_(countries))
    return db.session.scalar(stmt)


def _improved(user, start, end):
    """Participations that improved, in trainings held in the period, visible to the user."""
    threshold = settings.get("IMPROVEMENT_THRESHOLD")
    return (
        scoped(sa.select(Participation.practitioner_id), user, Participation)
        .join(Training, Training.id == Participation.training_id)
        .join(Practitioner, Practitioner.id == Participation.practitioner_id)
        .where(Training.start_date.between(start, end), Participation.improved_clause(threshold))
    )


def agencies_improved(user, start, end, countries=None):
    """2.4.1: agencies with a practitioner who improved in a training on THB vs SOM."""
    base = (
        _improved(user, start, end)
        .join(
            TrainingTopic,
            sa.and_(TrainingTopic.training_id == Training.id, TrainingTopic.topic == "thb_vs_som"),
        )
        .where(Practitioner.agency_id.is_not(None))
    )
    agencies = (
        base.with_only_columns(Practitioner.agency_id.label("agency_id")).distinct().subquery()
    )
    stmt = sa.select(Agency.country_code, sa.func.count()).join(
        agencies, agencies.c.agency_id == Agency.id
    )
    if countries:
        stmt = stmt.where(Agency.country_code.in_(countries))
    rows = _rows(stmt.group_by(Agency.country_code).order_by(Agency.country_code), ("country",))
    for row in rows:
        row["sex"] = None
    return {"rows": rows, "total": sum(r["value"] for r in rows)}


def _people_improved(user, start, end, countries, roles):
    base = _improved(user, start, end).where(Practitioner.role_type.in_(roles))
    people = base.with_only_columns(Practitioner.id.label("pid")).distinct().subquery()
    stmt = sa.select(Practitioner.country, Practitioner.sex, sa.func.count()).join(
        people, people.c.pid == Practitioner.id
    )
    if countries:
        stmt = stmt.where(Practitioner.country.in_(countries))
    rows = _rows(
        stmt.group_by(Practitioner.country, Practitioner.sex).order_by(
            Practitioner.country, Practitioner.sex
        ),
        ("country", "sex"),
    )
    return {"rows": rows, "total": sum(r["value"] for r in rows)}


def consular_improved(user, start, end, countries=None):
    """2.5.1: distinct diplomatic and consular practitioners who improved, by sex and country."""
    return _people_improved(user, start, end, countries, ("diplomatic_consular",))


def justice_improved(user, start, end, countries=None):
    """2.5.2: distinct criminal justice practitioners who improved, by sex and country."""
    return _people_improved(user, start, end, countries, CRIMINAL_JUSTICE_ROLES)


def _per_member(user, model, member, member_key, date_col, condition, start, end, countries):
    base = scoped(sa.select(model.id), user, model).where(date_col.between(start, end))
    if condition is not None:
        base = base.where(condition)
    if countries:
        base = base.where(model.in_countries(countries))
    ids = base.subquery()
    stmt = sa.select(member.country_code, sa.func.count()).join(ids, ids.c.id == member_key)
    if countries:
        stmt = stmt.where(member.country_code.in_(countries))
    rows = _rows(stmt.group_by(member.country_code).order_by(member.country_code), ("country",))
    for row in rows:
        row["sex"] = None
    total = db.session.scalar(sa.select(sa.func.count()).select_from(ids))
    return {"rows": rows, "total": total}


def meetings_held(user, start, end, countries=None):
    """2.6.1: meetings in the period that count toward regional or international cooperation."""
    return _per_member(
        user,
        Meeting,
        MeetingCountry,
        MeetingCountry.meeting_id,
        Meeting.date,
        Meeting.counts_toward_2_6_1.is_(True),
        start,
        end,
        countries,
    )


def jits_established(user, start, end, countries=None):
    """2.6.2: JITs whose agreement was signed in the period, per member country and in total."""
    return _per_member(
        user, Jit, JitMember, JitMember.jit_id, Jit.agreement_signed, None, start, end, countries
    )


COMPUTE = {
    "2.3": cases_prosecuted,
    "2.4.1": agencies_improved,
    "2.5.1": consular_improved,
    "2.5.2": justice_improved,
    "2.6.1": meetings_held,
    "2.6.2": jits_established,
}
