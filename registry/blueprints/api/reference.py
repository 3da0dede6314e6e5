"""API: countries, agencies and the caller's own account."""

from flask_login import current_user

from registry.blueprints.api.common import bp, envelope, page_body
from registry.blueprints.api.schemas import (
    AgencyListArgs,
    AgencySchema,
    CountryArgs,
    CountrySchema,
    MeSchema,
)
from registry.blueprints.reference import services
from registry.core.pagination import paginate
from registry.core.permissions import country_scope, roles_required, signed_in
from registry.core.roles import ADMIN, FOCAL_POINT, UNODC
from registry.extensions import db

AgencyPage = envelope(AgencySchema, "AgencyPage")


@bp.route("/countries")
@signed_in
@bp.arguments(CountryArgs, location="query")
@bp.response(200, CountrySchema(many=True))
def countries(args):
    """List countries (ASEAN members first)."""
    return services.countries(asean_only=args["asean"])


@bp.route("/agencies", methods=["GET"])
@signed_in
@bp.arguments(AgencyListArgs, location="query")
@bp.response(200, AgencyPage)
def agencies(args):
    """List agencies, filtered by country, type or a search text."""
    stmt = services.agencies_query(args.get("country"), args.get("type"), args.get("q"))
    return page_body(paginate(stmt, args["page"], args["per_page"]))


@bp.route("/agencies", methods=["POST"])
@roles_required(ADMIN, UNODC, FOCAL_POINT)
@bp.arguments(AgencySchema)
@bp.response(201, AgencySchema)
@bp.alt_response(403, description="A focal point may add agencies of their own country only.")
def agency_create(data):
    """Create an agency (a focal point: of their own country only)."""
    agency = services.create_agency(
        current_user,
        {
            "name": data["name"],
            "name_en": data.get("name_en", ""),
            "country": data["country_code"],
            "type": data["type"],
        },
    )
    db.session.commit()
    return agency


@bp.route("/me")
@signed_in
@bp.response(200, MeSchema)
def me():
    """Describe the account that owns the token, with its role and country scope."""
    scope = country_scope(current_user)
    return {
        "id": current_user.id,
        "email": current_user.email,
        "name": current_user.name,
        "role": current_user.role,
        "country_code": current_user.country_code,
        "scope": None if scope is None else sorted(scope),
    }
