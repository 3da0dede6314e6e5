"""Trainings, practitioners and participations: access rules, validation, duplicates, merge."""

import sqlalchemy as sa

from registry.blueprints.reference.models import Agency
from registry.blueprints.training.models import (
    MODALITIES,
    ROLE_TYPES,
    SEXES,
    TOPICS,
    Participation,
    Practitioner,
    Training,
    TrainingTopic,
    name_key,
)
from registry.core import audit, params
from registry.core.errors import Forbidden, ValidationFailed
from registry.core.permissions import country_scope, scoped
from registry.core.roles import ADMIN, AUDITOR, CASE_READERS, FOCAL_POINT, UNODC
from registry.core.validate import Checker
from registry.extensions import db

READERS = (ADMIN, FOCAL_POINT, UNODC, AUDITOR)
EDITORS = (ADMIN, FOCAL_POINT, UNODC)
MERGERS = (ADMIN, UNODC)
TRAINING_FIELDS = (
    "title",
    "activity_code",
    "country",
    "start_date",
    "end_date",
    "modality",
    "hours",
    "organiser",
)
PRACTITIONER_FIELDS = ("name", "sex", "country", "agency_id", "role_type")


def _own_or_regional(user, country):
    return user.role in CASE_READERS and (
        country_scope(user) is None or user.country_code == country
    )


def can_view_training(user, training):
    return _own_or_regional(user, training.country)


def can_edit_country(user, country):
    return user.role in (ADMIN, UNODC) or (
        user.role == FOCAL_POINT and user.country_code == country
    )


def can_see_names(user, country):
    """Personal data: UNODC, administrators and the practitioner's own focal point (docs/architecture.md §4)."""
    return user.role in (ADMIN, UNODC) or (
        user.role == FOCAL_POINT and user.country_code == country
    )


RESTRICTED = "restricted"


def shown_person(user, practitioner):
    """Name and agency as this user may see them: in full for those allowed the person's
    personal data, else "restricted" and the agency's type only."""
    agency = practitioner.agency
    if can_see_names(user, practitioner.country):
        return {"name": practitioner.name, "agency": agency.name if agency else ""}
    return {"name": RESTRICTED, "agency": agency.type_label if agency else ""}


def can_view_practitioner(user, practitioner):
    return _own_or_regional(user, practitioner.country)


def can_view_participation(user, participation):
    """In scope through its training's country or its practitioner's (docs/architecture.md §4);
    the person's name still follows `shown_person`."""
    return can_view_training(user, participation.training) or can_view_practitioner(
        user, participation.practitioner
    )


def _clean_training(data):
    check = Checker(data)
    values = {
        "title": check.text("title", 300, label="the training's title"),
        "activity_code": check.text("activity_code", 20, required=False),
        "country": check.country("country"),
        "start_date": check.day("start_date", required=True),
        "end_date": check.day("end_date", required=True),
        "modality": check.code("modality", MODALITIES),
        "hours": check.count("hours", maximum=1000),
        "organiser": check.text("organiser", 200, required=False),
    }
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        check.fail("end_date", "The training cannot end before it starts.")
    topics = check.codes("topics", TOPICS, minimum=1, label="topic")
    return check, values, topics


def create_training(actor, data):
    check, values, topics = _clean_training(data)
    check.raise_if_any("The training was not saved.")
    if not can_edit_country(actor, values["country"]):
        raise Forbidden("You can record trainings held in your own country only.")
    audit.act_as(actor)
    training = Training(**values)
    training.topic_rows = [TrainingTopic(topic=t) for t in topics]
    training.stamp(actor)
    db.session.add(training)
    db.session.flush()
    return training


def update_training(actor, training, data, expected_version=None, reason=None):
    if not can_edit_country(actor, training.country):
        raise Forbidden("You can edit trainings of your own country only.")
    merged = {f: getattr(training, f) for f in TRAINING_FIELDS} | {"topics": training.topics}
    merged.update({k: v for k, v in data.items() if v is not None})
    check, values, topics = _clean_training(merged)
    if not (reason or "").strip():
        check.fail("reason", "Say why you change this training.")
    check.raise_if_any("The training was not saved.")
    if not can_edit_country(actor, values["country"]):
        raise Forbidden("You can move trainings to your own country only.")
    training.check_version(expected_version)
    audit.act_as(actor, reason.strip())
    for key, value in values.items():
        setattr(training, key, value)
    if topics != training.topics:
        current = {row.topic: row for row in training.topic_rows}
        training.topic_rows = [current.get(t) or TrainingTopic(topic=t) for t in topics]
    training.stamp(actor)
    db.session.flush()
    return training


def _clean_practitioner(data):
    check = Checker(data)
    values = {
        "name": check.text("name", 200, label="the practitioner's name"),
        "sex": check.code("sex", SEXES),
        "country": check.country("country"),
        "role_type": check.code("role_type", ROLE_TYPES),
    }
    agency_id = data.get("agency_id")
    values["agency_id"] = None
    if agency_id not in (None, "", 0):
        agency = db.session.get(Agency, int(agency_id)) if str(agency_id).isdigit() else None
        if agency is None or agency.country_code != values["country"]:
            check.fail(
                "agency_id", "Choose an agency of the practitioner's country, or leave it empty."
            )
        else:
            values["agency_id"] = agency.id
    values["name_key"] = name_key(values["name"])
    return check, values


def possible_duplicates(values, exclude_id=None):
    """Practitioners with the same name (case and spacing ignored), country and agency."""
    stmt = sa.select(Practitioner).where(
        Practitioner.name_key == values["name_key"],
        Practitioner.country == values["country"],
        Practitioner.agency_id.is_(None)
        if values["agency_id"] is None
        else Practitioner.agency_id == values["agency_id"],
    )
    if exclude_id:
        stmt = stmt.where(Practitioner.id != exclude_id)
    return db.session.scalars(stmt).all()


def create_practitioner(actor, data):
    """Register a practitioner; returns (practitioner, possible duplicates already registered)."""
    check, values = _clean_practitioner(data)
    check.raise_if_any("The practitioner was not saved.")
    if not can_edit_country(actor, values["country"]):
        raise Forbidden("You can register practitioners of your own country only.")
    duplicates = possible_duplicates(values)
    audit.act_as(actor)
    practitioner = Practitioner(**values)
    practitioner.stamp(actor)
    db.session.add(practitioner)
    db.session.flush()
    return practitioner, duplicates


def update_practitioner(actor, practitioner, data, expected_version=None, reason=None):
    if not can_edit_country(actor, practitioner.country):
        raise Forbidden("You can edit practitioners of your own country only.")
    merged = {f: getattr(practitioner, f) for f in PRACTITIONER_FIELDS}
    merged.update({k: v for k, v in data.items() if v is not None})
    check, values = _clean_practitioner(merged)
    if not (reason or "").strip():
        check.fail("reason", "Say why you change this record.")
    check.raise_if_any("The practitioner was not saved.")
    if not can_edit_country(actor, values["country"]):
        raise Forbidden("You can move practitioners to your own country only.")
    practitioner.check_version(expected_version)
    audit.act_as(actor, reason.strip())
    for key, value in values.items():
        setattr(practitioner, key, value)
    practitioner.stamp(actor)
    db.session.flush()
    return practitioner


def _clean_scores(data, check):
    values = {}
    for field in ("pre_score", "post_score"):
        value = data.get(field)
        if value in (None, ""):
            values[field] = None
            continue
        try:
            number = int(str(value).strip())
        except ValueError:
            check.fail(field, "Give a score from 0 to 100.")
            continue
        if not 0 <= number <= 100:
            check.fail(field, "A score is between 0 and 100.")
        values[field] = number
    values["completed"] = bool(data.get("completed"))
    return values


def add_participation(actor, training, practitioner, data):
    """Record that a practitioner attended a training, with scores."""
    if not can_edit_country(actor, training.country):
        raise Forbidden("You can add participants to trainings of your own country only.")
    check = Checker(data)
    values = _clean_scores(data, check)
    exists = db.session.scalar(
        sa.select(Participation.id).where(
            Participation.training_id == training.id,
            Participation.practitioner_id == practitioner.id,
        )
    )
    if exists:
        check.fail(
            "practitioner_id", "This practitioner is already a participant of this training."
        )
    check.raise_if_any("The participation was not saved.")
    audit.act_as(actor)
    participation = Participation(
        training_id=training.id, practitioner_id=practitioner.id, **values
    )
    participation.stamp(actor)
    db.session.add(participation)
    db.session.flush()
    return participation


def update_participation(actor, participation, data, expected_version=None, reason=None):
    if not can_edit_country(actor, participation.training.country):
        raise Forbidden("You can edit participants of trainings of your own country only.")
    check = Checker(data)
    merged = {
        "pre_score": participation.pre_score,
        "post_score": participation.post_score,
        "completed": participation.completed,
    } | {k: v for k, v in data.items() if k in ("pre_score", "post_score", "completed")}
    values = _clean_scores(merged, check)
    if not (reason or "").strip():
        check.fail("reason", "Say why you change the scores.")
    check.raise_if_any("The participation was not saved.")
    participation.check_version(expected_version)
    audit.act_as(actor, reason.strip())
    for key, value in values.items():
        setattr(participation, key, value)
    participation.stamp(actor)
    db.session.flush()
    return participation


def merge(actor, keep, drop, reason):
    """Merge a duplicate into the kept practitioner; every participation is kept."""
    if actor.role not in MERGERS:
        raise Forbidden("Only UNODC staff and administrators merge practitioners.")
    errors = {}
    if keep.id == drop.id:
        errors["drop"] = ["Choose two different records."]
    if keep.country != drop.country:
        errors["drop"] = ["Only records of the same country can be merged."]
    if not (reason or "").strip():
        errors["reason"] = ["Say why these records are the same person."]
    if errors:
        raise ValidationFailed("The records were not merged.", errors)
    audit.act_as(actor, reason.strip())
    kept_trainings = {
        p.training_id: p
        for p in db.session.scalars(
            sa.select(Participation).where(Participation.practitioner_id == keep.id)
        )
    }
    for participation in db.session.scalars(
        sa.select(Participation).where(Participation.practitioner_id == drop.id)
    ):
        twin = kept_trainings.get(participation.training_id)
        if twin is None:
            participation.practitioner_id = keep.id
        else:
            # Both attended the same training: keep the better-documented record.
            if _documented(participation) > _documented(twin):
                for field in ("pre_score", "post_score", "completed"):
                    setattr(twin, field, getattr(participation, field))
            db.session.delete(participation)
    db.session.flush()
    db.session.delete(drop)
    db.session.flush()
    return keep


def _documented(p):
    return (p.pre_score is not None) + (p.post_score is not None) + p.completed


def duplicate_groups(user):
    """Groups of practitioners (visible to the user) sharing name, country and agency."""
    keys = (
        scoped(
            sa.select(Practitioner.name_key, Practitioner.country, Practitioner.agency_id),
            user,
            Practitioner,
        )
        .group_by(Practitioner.name_key, Practitioner.country, Practitioner.agency_id)
        .having(sa.func.count() > 1)
        .subquery()
    )
    rows = db.session.scalars(
        sa.select(Practitioner)
        .join(
            keys,
            sa.and_(
                Practitioner.name_key == keys.c.name_key,
                Practitioner.country == keys.c.country,
                sa.or_(
                    Practitioner.agency_id == keys.c.agency_id,
                    sa.and_(Practitioner.agency_id.is_(None), keys.c.agency_id.is_(None)),
                ),
            ),
        )
        .order_by(Practitioner.country, Practitioner.name_key, Practitioner.id)
    ).all()
    groups = {}
    for practitioner in rows:
        groups.setdefault(
            (practitioner.name_key, practitioner.country, practitioner.agency_id), []
        ).append(practitioner)
    return list(groups.values())


def trainings_query(user, args):
    stmt = scoped(sa.select(Training), user, Training)
    if country := args.get("country"):
        stmt = stmt.where(Training.country == country)
    year = args.get("year")
    if year and str(year).isdigit() and 1900 <= int(year) <= 2100:
        stmt = stmt.where(sa.extract("year", Training.start_date) == int(year))
    if topic := params.code(args, "topic", TrainingTopic.topic):
        stmt = stmt.where(Training.topic_rows.any(TrainingTopic.topic == topic))
    if modality := params.code(args, "modality", Training.modality):
        stmt = stmt.where(Training.modality == modality)
    if q := (args.get("q") or "").strip():
        stmt = stmt.where(Training.title.ilike(f"%{q}%"))
    return stmt.order_by(Training.start_date.desc(), Training.id)


def practitioners_query(user, args):
    stmt = scoped(sa.select(Practitioner), user, Practitioner)
    if country := args.get("country"):
        stmt = stmt.where(Practitioner.country == country)
    for field in ("role_type", "sex"):
        if value := params.code(args, field, getattr(Practitioner, field)):
            stmt = stmt.where(getattr(Practitioner, field) == value)
    if (q := (args.get("q") or "").strip()) and can_see_names(
        user, args.get("country") or user.country_code
    ):
        stmt = stmt.where(Practitioner.name_key.contains(name_key(q)))
    return stmt.order_by(Practitioner.country, Practitioner.name_key, Practitioner.id)


def participants(training):
    return db.session.scalars(
        sa.select(Participation)
        .where(Participation.training_id == training.id)
        .order_by(Participation.id)
    ).all()
