"""API: /api/v1/trainings, /api/v1/practitioners, /api/v1/participations."""

import sqlalchemy as sa
from flask_login import current_user

from registry.blueprints.api.common import bp, envelope, page_body
from registry.blueprints.training import services
from registry.blueprints.training.models import Participation, Practitioner, Training
from registry.blueprints.training.schemas import (
    ParticipationListArgs,
    ParticipationPatch,
    ParticipationSchema,
    PractitionerCreate,
    PractitionerListArgs,
    PractitionerPatch,
    PractitionerSchema,
    TrainingCreate,
    TrainingListArgs,
    TrainingPatch,
    TrainingSchema,
)
from registry.core import audit
from registry.core.pagination import Page, paginate
from registry.core.permissions import roles_required, scoped, visible_or_404
from registry.extensions import db


def _training(training_id):
    return visible_or_404(Training, training_id, services.can_view_training, "training")


def _practitioner(practitioner_id):
    return visible_or_404(
        Practitioner, practitioner_id, services.can_view_practitioner, "practitioner"
    )


def _person(p):
    """A practitioner as JSON; the name only for roles allowed to see it (and that read is logged)."""
    body = PractitionerSchema().dump(p)
    if not services.can_see_names(current_user, p.country):
        body.pop("name", None)
        body.pop("agency_id", None)
        body["agency_type"] = p.agency.type if p.agency else None
    return body


def _logged(persons):
    shown = sum(1 for p in persons if "name" in p)
    if shown:
        audit.record(
            current_user, "read", "Practitioner", None, {"names_shown": shown, "via": "api"}
        )
        db.session.commit()
    return persons


@bp.route("/trainings", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(TrainingListArgs, location="query")
@bp.response(200, envelope(TrainingSchema, "TrainingPage"))
def training_list(args):
    """List trainings you may see."""
    filters = {k: str(v) for k, v in args.items() if k not in ("page", "per_page")}
    return page_body(
        paginate(services.trainings_query(current_user, filters), args["page"], args["per_page"])
    )


@bp.route("/trainings", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(TrainingCreate)
@bp.response(201, TrainingSchema)
def training_create(data):
    """Record a training."""
    training = services.create_training(current_user, data)
    db.session.commit()
    return training


@bp.route("/trainings/<int:training_id>", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, TrainingSchema)
def training_get(training_id):
    """One training."""
    return _training(training_id)


@bp.route("/trainings/<int:training_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(TrainingPatch)
@bp.response(200, TrainingSchema)
def training_patch(data, training_id):
    """Change a training; send the version you loaded and a reason."""
    training = _training(training_id)
    version, reason = data.pop("version", None), data.pop("reason")
    services.update_training(current_user, training, data, version, reason)
    db.session.commit()
    return training


@bp.route("/practitioners", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(PractitionerListArgs, location="query")
@bp.response(200, envelope(PractitionerSchema, "PractitionerPage"))
def practitioner_list(args):
    """List practitioners; names only where your role may see them."""
    filters = {k: str(v) for k, v in args.items() if k not in ("page", "per_page")}
    page = paginate(
        services.practitioners_query(current_user, filters), args["page"], args["per_page"]
    )
    return page_body(
        Page(_logged([_person(p) for p in page.items]), page.total, page.page, page.per_page)
    )


@bp.route("/practitioners", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(PractitionerCreate)
@bp.response(201, PractitionerSchema)
def practitioner_create(data):
    """Register a practitioner (a possible duplicate is flagged in the X-Possible-Duplicates header)."""
    practitioner, duplicates = services.create_practitioner(current_user, data)
    db.session.commit()
    return (
        _person(practitioner),
        201,
        {"X-Possible-Duplicates": ",".join(str(d.id) for d in duplicates)},
    )


@bp.route("/practitioners/<int:practitioner_id>", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, PractitionerSchema)
def practitioner_get(practitioner_id):
    """One practitioner; the name only where your role may see it."""
    return _logged([_person(_practitioner(practitioner_id))])[0]


@bp.route("/practitioners/<int:practitioner_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(PractitionerPatch)
@bp.response(200, PractitionerSchema)
def practitioner_patch(data, practitioner_id):
    """Change a practitioner; send the version you loaded and a reason."""
    practitioner = _practitioner(practitioner_id)
    version, reason = data.pop("version", None), data.pop("reason")
    services.update_practitioner(current_user, practitioner, data, version, reason)
    db.session.commit()
    return _person(practitioner)


@bp.route("/participations", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(ParticipationListArgs, location="query")
@bp.response(200, envelope(ParticipationSchema, "ParticipationPage"))
def participation_list(args):
    """List participations in trainings you may see."""
    stmt = scoped(sa.select(Participation), current_user, Participation).order_by(Participation.id)
    for field in ("training_id", "practitioner_id"):
        if args.get(field):
            stmt = stmt.where(getattr(Participation, field) == args[field])
    return page_body(paginate(stmt, args["page"], args["per_page"]))


@bp.route("/participations", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(ParticipationSchema)
@bp.response(201, ParticipationSchema)
def participation_create(data):
    """Record a practitioner's participation in a training, with scores from 0 to 100."""
    participation = services.add_participation(
        current_user, _training(data["training_id"]), _practitioner(data["practitioner_id"]), data
    )
    db.session.commit()
    return participation


def _participation(participation_id):
    return visible_or_404(
        Participation, participation_id, services.can_view_participation, "participation"
    )


@bp.route("/participations/<int:participation_id>", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, ParticipationSchema)
def participation_get(participation_id):
    """One participation."""
    return _participation(participation_id)


@bp.route("/participations/<int:participation_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(ParticipationPatch)
@bp.response(200, ParticipationSchema)
def participation_patch(data, participation_id):
    """Change scores or completion; send the version you loaded and a reason."""
    participation = _participation(participation_id)
    version, reason = data.pop("version", None), data.pop("reason")
    services.update_participation(current_user, participation, data, version, reason)
    db.session.commit()
    return participation
