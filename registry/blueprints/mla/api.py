"""API: /api/v1/mla-requests, its transitions and turnaround statistics."""

from datetime import date

from flask_login import current_user

from registry.blueprints.api.common import bp, envelope, page_body
from registry.blueprints.mla import services, stats
from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.mla.schemas import (
    MlaListArgs,
    MlaRequestCreate,
    MlaRequestPatch,
    MlaRequestSchema,
    StatsArgs,
    StatsSchema,
    SurvivalArgs,
    SurvivalSchema,
    TransitionSchema,
)
from registry.blueprints.reference.services import country_choices
from registry.core import settings
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db

MlaRequestPage = envelope(MlaRequestSchema, "MlaRequestPage")


def _load(request_id):
    return visible_or_404(MlaRequest, request_id, services.can_view, "MLA request")


@bp.route("/mla-requests", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(MlaListArgs, location="query")
@bp.response(200, MlaRequestPage)
def mla_list(args):
    """List the MLA requests you may see (oldest pending first unless sorted otherwise)."""
    filters = {
        k: str(v)
        for k, v in args.items()
        if k not in ("page", "per_page") and v not in (None, False)
    }
    stmt = services.list_query(
        current_user, filters, settings.get("MLA_OVERDUE_DAYS"), date.today()
    )
    return page_body(paginate(stmt, args["page"], args["per_page"]))


@bp.route("/mla-requests", methods=["POST"])
@roles_required(*services.CREATORS)
@bp.arguments(MlaRequestCreate)
@bp.response(201, MlaRequestSchema)
def mla_create(data):
    """Create a request: with date_sent it is recorded as sent on that date, else a draft."""
    req = services.create_request(current_user, data)
    db.session.commit()
    return req


@bp.route("/mla-requests/<int:request_id>", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, MlaRequestSchema)
def mla_get(request_id):
    """One MLA request with its status history."""
    return _load(request_id)


@bp.route("/mla-requests/<int:request_id>", methods=["PATCH"])
@roles_required(*services.CREATORS)
@bp.arguments(MlaRequestPatch)
@bp.response(200, MlaRequestSchema)
def mla_patch(data, request_id):
    """Change descriptive fields; send the version you loaded and a reason."""
    req = _load(request_id)
    version = data.pop("version", None)
    reason = data.pop("reason")
    services.update_request(current_user, req, data, version, reason)
    db.session.commit()
    return req


@bp.route("/mla-requests/<int:request_id>/transitions", methods=["POST"])
@roles_required(*services.STATUS_RECORDERS)
@bp.arguments(TransitionSchema)
@bp.response(201, MlaRequestSchema)
def mla_transition(data, request_id):
    """Record a status change dated `date`; refused if the lifecycle does not allow it."""
    req = _load(request_id)
    services.record_status(
        current_user,
        req,
        data["status"],
        data["date"],
        data["note"],
        data["ground"],
        data["reason"],
    )
    db.session.commit()
    return req


@bp.route("/mla-requests/stats", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(StatsArgs, location="query")
@bp.response(200, StatsSchema)
def mla_stats(args):
    """Count, median and 90th percentile turnaround per group, over requests answered in the period."""
    filters = stats.Filters(
        date_from=args["date_from"], date_to=args["date_to"], country=args["country"]
    )
    return {"rows": stats.turnaround(current_user, args["group_by"], filters)}


@bp.route("/mla-requests/survival", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(SurvivalArgs, location="query")
@bp.response(200, SurvivalSchema)
def mla_survival(args):
    """Kaplan–Meier time to a final response per group, over requests sent in the period.

    A final response (executed, partially executed, refused) is an event at its date; a request
    pending on `as_of`, withdrawn or lapsed is censored (at as_of, or at its date).
    """
    cohort = stats.Cohort(
        as_of=args["as_of"] or date.today(),
        sent_from=args["sent_from"],
        sent_to=args["sent_to"],
        country=args["country"],
    )
    rows = stats.survival(current_user, args["group_by"], cohort)
    if args["labels"]:
        names = country_choices()
        for row in rows:
            row["labels"] = stats.group_labels(
                row, stats.SURVIVAL_GROUPINGS[args["group_by"]], names
            )
    return {"as_of": cohort.as_of, "rows": rows}
