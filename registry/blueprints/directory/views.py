"""Pages of the central-authority directory: the index, a country, and the editors' forms."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.blueprints.directory import services
from registry.blueprints.directory.forms import AuthorityForm, RequirementForm
from registry.blueprints.directory.models import ASSISTANCE_TYPES, Authority
from registry.blueprints.reference.models import Country
from registry.core.errors import Conflict, ValidationFailed
from registry.core.forms import apply_errors
from registry.core.permissions import roles_required, signed_in
from registry.extensions import db

bp = Blueprint("directory", __name__, url_prefix="/directory")


def _country_or_404(iso3):
    country = db.session.get(Country, iso3.upper())
    if country is None:
        abort(404)
    return country


def _editable_or_404(country_code):
    # A focal point is sent away from another country's forms as from a missing page.
    if not services.can_edit(current_user, country_code):
        abort(404)


@bp.route("/")
@signed_in
def index():
    return render_template("directory/index.html", rows=services.countries())


@bp.route("/<iso3>")
@signed_in
def country(iso3):
    country = _country_or_404(iso3)
    wanted = [t for t in request.args.getlist("type") if t in ASSISTANCE_TYPES]
    requirements = services.requirements(country.iso3)
    written = {r.assistance_type for r in requirements}
    return render_template(
        "directory/country.html",
        country=country,
        authorities=services.authorities(country.iso3),
        requirements=requirements,
        wanted=wanted,
        can_edit=services.can_edit(current_user, country.iso3),
        missing=[t for t in ASSISTANCE_TYPES if t not in written],
    )


@bp.route("/<iso3>/needs")
@signed_in
def needs(iso3):
    """What a country needs for the types of assistance asked (?type=...), as a page fragment."""
    country = _country_or_404(iso3)
    return render_template(
        "directory/_needs.html", **services.needs(country, request.args.getlist("type"))
    )


@bp.route("/<iso3>/authorities/new", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def authority_new(iso3):
    country = _country_or_404(iso3)
    _editable_or_404(country.iso3)
    form = AuthorityForm()
    if request.method == "GET":
        form.languages.data = ["en"]
    if form.validate_on_submit():
        try:
            services.create_authority(current_user, country.iso3, form.data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Authority “{form.name.data}” saved.", "success")
            return redirect(url_for("directory.country", iso3=country.iso3))
    return render_template(
        "directory/authority_form.html", form=form, country=country, authority=None
    )


@bp.route("/authorities/<int:authority_id>/edit", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def authority_edit(authority_id):
    authority = db.session.get(Authority, authority_id) or abort(404)
    _editable_or_404(authority.country_code)
    form = AuthorityForm(obj=authority)
    if request.method == "GET":
        form.languages.data = authority.language_codes
        form.version.data = authority.version
    if form.validate_on_submit():
        try:
            services.update_authority(current_user, authority, form.data, form.version.data)
        except (ValidationFailed, Conflict) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Authority “{authority.name}” saved.", "success")
            return redirect(url_for("directory.country", iso3=authority.country_code))
    return render_template(
        "directory/authority_form.html", form=form, country=authority.country, authority=authority
    )


@bp.route("/<iso3>/requirements", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def requirement_edit(iso3):
    country = _country_or_404(iso3)
    _editable_or_404(country.iso3)
    kind = request.values.get("assistance_type") or request.args.get("type") or "evidence"
    if kind not in ASSISTANCE_TYPES:
        abort(400, description=f"Unknown type of assistance {kind!r}.")
    row = services.requirement(country.iso3, kind)
    form = RequirementForm(obj=row)
    if request.method == "GET":
        form.assistance_type.data = kind
        form.version.data = row.version if row else ""
    if form.validate_on_submit():
        try:
            services.save_requirement(
                current_user, country.iso3, kind, form.data, form.version.data
            )
        except (ValidationFailed, Conflict) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Requirements for {ASSISTANCE_TYPES[kind].lower()} saved.", "success")
            return redirect(url_for("directory.country", iso3=country.iso3, _anchor=kind))
    return render_template(
        "directory/requirement_form.html", form=form, country=country, requirement=row
    )
