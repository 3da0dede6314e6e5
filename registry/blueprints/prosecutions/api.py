"""API: /api/v1/prosecutions and /api/v1/annual-statistics."""

from flask_login import current_user

from registry.blueprints.api.common import bp, envelope, page_body
from registry.blueprints.prosecutions import services
from registry.blueprints.prosecutions.models import AnnualStatistic, Defendant, ProsecutionCase
from registry.blueprints.prosecutions.schemas import (
    CaseCreate,
    CaseListArgs,
    CasePatch,
    CaseSchema,
    DefendantCreate,
    DefendantFields,
    StatisticListArgs,
    StatisticPatch,
    StatisticSchema,
    VersionArgs,
    VictimCountSet,
)
from registry.core.errors import Forbidden, NotFound, VersionMissing
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db


def _load(model, record_id, what):
    return visible_or_404(
        model, record_id, lambda user, r: services.can_view(user, r.country), what
    )


def _filters(args):
    return {k: str(v) for k, v in args.items() if k not in ("page", "per_page")}


@bp.route("/prosecutions", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(CaseListArgs, location="query")
@bp.response(200, envelope(CaseSchema, "CasePage"))
def case_list(args):
    """List the cases you may see."""
    return page_body(
        paginate(services.cases_query(current_user, _filters(args)), args["page"], args["per_page"])
    )


@bp.route("/prosecutions", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(CaseCreate)
@bp.response(201, CaseSchema)
def case_create(data):
    """Record a case (THB and SOM apart) at its current stage."""
    case = services.create_case(current_user, data)
    db.session.commit()
    return case


@bp.route("/prosecutions/<int:case_id>", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, CaseSchema)
def case_get(case_id):
    """One case."""
    return _load(ProsecutionCase, case_id, "case")


@bp.route("/prosecutions/<int:case_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(CasePatch)
@bp.response(200, CaseSchema)
def case_patch(data, case_id):
    """Change fields (version and reason); `stage` with `stage_date` moves the case forward."""
    case = _load(ProsecutionCase, case_id, "case")
    version, reason = data.pop("version", None), data.pop("reason")
    stage, stage_date = data.pop("stage", None), data.pop("stage_date", None)
    if data:
        services.update_case(current_user, case, data, version, reason)
    if stage:
        services.record_stage(current_user, case, stage, stage_date)
    db.session.commit()
    return case


def _editable_case(case_id, data):
    """The case, visible and editable by the caller, and the version the change is based on."""
    case = _load(ProsecutionCase, case_id, "case")
    if not services.can_edit(current_user, case.country):
        raise Forbidden("You can change cases of your own country only.")
    version = data.pop("version", None)
    if version in (None, ""):
        raise VersionMissing()
    return case, version


def _defendant_of(case, defendant_id):
    defendant = db.session.get(Defendant, defendant_id)
    if defendant is None or defendant.case_id != case.id:
        raise NotFound("No such defendant in this case.")
    return defendant


@bp.route("/prosecutions/<int:case_id>/defendants", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(DefendantCreate)
@bp.response(201, CaseSchema)
def defendant_create(data, case_id):
    """Add a defendant to a case (the case's `version` required); answers the case."""
    case, version = _editable_case(case_id, data)
    services.add_defendant(current_user, case, data, version)
    db.session.commit()
    return case


@bp.route("/prosecutions/<int:case_id>/defendants/<int:defendant_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(DefendantFields)
@bp.response(200, CaseSchema)
def defendant_patch(data, case_id, defendant_id):
    """Change a defendant (the case's `version` required); answers the case."""
    case, version = _editable_case(case_id, data)
    services.update_defendant(current_user, case, _defendant_of(case, defendant_id), data, version)
    db.session.commit()
    return case


@bp.route("/prosecutions/<int:case_id>/defendants/<int:defendant_id>", methods=["DELETE"])
@roles_required(*services.EDITORS)
@bp.arguments(VersionArgs, location="query")
@bp.response(200, CaseSchema)
def defendant_delete(args, case_id, defendant_id):
    """Remove a defendant (`?version=` of the case required); answers the case."""
    case, version = _editable_case(case_id, dict(args))
    services.remove_defendant(current_user, case, _defendant_of(case, defendant_id), version)
    db.session.commit()
    return case


@bp.route("/prosecutions/<int:case_id>/victims", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(VictimCountSet)
@bp.response(200, CaseSchema)
def victims_set(data, case_id):
    """Set how many victims of one sex, age group and nationality (0 removes the row; the
    case's `version` required); answers the case."""
    case, version = _editable_case(case_id, data)
    services.set_victim_count(current_user, case, data, version)
    db.session.commit()
    return case


@bp.route("/annual-statistics", methods=["GET"])
@roles_required(*services.READERS)
@bp.arguments(StatisticListArgs, location="query")
@bp.response(200, envelope(StatisticSchema, "StatisticPage"))
def statistic_list(args):
    """List reported aggregates."""
    return page_body(
        paginate(
            services.statistics_query(current_user, _filters(args)), args["page"], args["per_page"]
        )
    )


@bp.route("/annual-statistics", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(StatisticSchema)
@bp.response(201, StatisticSchema)
def statistic_create(data):
    """Record a reported aggregate; one per country, year, metric and source."""
    statistic = services.save_statistic(current_user, data)
    db.session.commit()
    return statistic


@bp.route("/annual-statistics/<int:stat_id>", methods=["GET"])
@roles_required(*services.READERS)
@bp.response(200, StatisticSchema)
def statistic_get(stat_id):
    """One reported aggregate."""
    return _load(AnnualStatistic, stat_id, "statistic")


@bp.route("/annual-statistics/<int:stat_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(StatisticPatch)
@bp.response(200, StatisticSchema)
def statistic_patch(data, stat_id):
    """Change a reported aggregate (version and reason)."""
    statistic = _load(AnnualStatistic, stat_id, "statistic")
    version, reason = data.pop("version", None), data.pop("reason")
    services.save_statistic(current_user, data, statistic, version, reason)
    db.session.commit()
    return statistic
