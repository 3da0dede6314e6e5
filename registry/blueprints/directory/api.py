"""API: the central-authority directory, read by every signed-in role, written by its editors."""

from flask import abort
from flask_login import current_user

from registry.blueprints.api.common import bp
from registry.blueprints.directory import services
from registry.blueprints.directory.models import Authority
from registry.blueprints.directory.schemas import (
    AuthorityPatch,
    AuthoritySchema,
    CountryDirectorySchema,
    DirectoryArgs,
    RequirementSchema,
)
from registry.blueprints.reference.models import Country
from registry.core.permissions import roles_required, signed_in
from registry.extensions import db


@bp.route("/directory/<iso3>", methods=["GET"])
@signed_in
@bp.response(200, CountryDirectorySchema)
def directory_country(iso3):
    """Where to send a request to a country, and what each type of assistance needs."""
    country = db.session.get(Country, iso3.upper()) or abort(404)
    return {
        "code": country.iso3,
        "name": country.name,
        "authorities": services.authorities(country.iso3),
        "requirements": services.requirements(country.iso3),
    }


@bp.route("/authorities", methods=["GET"])
@signed_in
@bp.arguments(DirectoryArgs, location="query")
@bp.response(200, AuthoritySchema(many=True))
def authority_list(args):
    """Central and other competent authorities, of one country or all."""
    return services.authorities(args["country"])


@bp.route("/authorities", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(AuthoritySchema)
@bp.response(201, AuthoritySchema)
def authority_create(data):
    """Add an authority (a focal point: to their own country's entry)."""
    data["languages"] = data.pop("language_codes")
    authority = services.create_authority(current_user, data.pop("country_code").upper(), data)
    db.session.commit()
    return authority


@bp.route("/authorities/<int:authority_id>", methods=["PATCH"])
@roles_required(*services.EDITORS)
@bp.arguments(AuthorityPatch)
@bp.response(200, AuthoritySchema)
def authority_patch(data, authority_id):
    """Change an authority; send the version you loaded."""
    authority = db.session.get(Authority, authority_id)
    if authority is None or not services.can_edit(current_user, authority.country_code):
        abort(404)
    version, reason = data.pop("version", None), data.pop("reason", None)
    services.update_authority(current_user, authority, data, version, reason)
    db.session.commit()
    return authority


@bp.route("/requirements", methods=["GET"])
@signed_in
@bp.arguments(DirectoryArgs, location="query")
@bp.response(200, RequirementSchema(many=True))
def requirement_list(args):
    """What requests must contain, per country and type of assistance."""
    types = [args["assistance_type"]] if args["assistance_type"] else None
    return services.requirements(args["country"], types)


@bp.route("/requirements", methods=["POST"])
@roles_required(*services.EDITORS)
@bp.arguments(RequirementSchema)
@bp.response(200, RequirementSchema)
def requirement_save(data):
    """Write a country's requirements for one type of assistance (created, or replaced: then
    send the version you loaded)."""
    country, version, reason = (
        data.pop("country_code"),
        data.pop("version", None),
        data.pop("reason"),
    )
    row = services.save_requirement(
        current_user, country.upper(), data["assistance_type"], data, version, reason
    )
    db.session.commit()
    return row
