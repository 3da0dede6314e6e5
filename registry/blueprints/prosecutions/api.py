"""API: /api/v1/prosecutions and /api/v1/annual-statistics."""

from flask_login import current_user

from registry.blueprints.api.common import bp, envelope, page_body
from registry.blueprints.prosecutions import services
from registry.blueprints.prosecutions.models import AnnualStatistic, ProsecutionCase
from registry.blueprints.prosecutions.schemas import (
    CaseCreate,
    CaseListArgs,
    CasePatch,
    CaseSchema,
    StatisticListArgs,
    StatisticPatch,
    StatisticSchema,
)
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
