"""Pages for countries, agencies and legal bases."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.blueprints.reference import services
from registry.blueprints.reference.forms import AgencyForm, CountryForm, LegalBasisForm
from registry.blueprints.reference.models import AGENCY_TYPES, Agency
from registry.core import params
from registry.core.errors import Conflict, ValidationFailed
from registry.core.forms import apply_errors
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, signed_in
from registry.core.roles import ADMIN, FOCAL_POINT, UNODC
from registry.extensions import db

bp = Blueprint("reference", __name__, url_prefix="/reference")

AGENCY_EDITORS = (ADMIN, UNODC, FOCAL_POINT)


def _countries_page(form):
    return render_template("reference/countries.html", countries=services.countries(), form=form)


def _country_form():
    form = CountryForm()
    form.iso3.choices = services.addable_countries()
    return form


@bp.route("/countries")
@signed_in
def countries():
    return _countries_page(_country_form() if current_user.role == ADMIN else None)


@bp.route("/countries/add", methods=["POST"])
@roles_required(ADMIN)
def country_add():
    form = _country_form()
    if form.validate_on_submit():
        try:
            country = services.add_country(current_user, form.iso3.data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"{country.name} added.", "success")
            return redirect(url_for("reference.countries"))
    return _countries_page(form), 422


@bp.route("/agencies")
@signed_in
def agencies():
    country = request.args.get("country") or None
    kind = params.code(request.args, "type", AGENCY_TYPES)
    q = request.args.get("q") or None
    page = paginate(
        services.agencies_query(country, kind, q), request.args.get("page", 1, type=int), 25
    )
    return render_template(
        "reference/agencies.html",
        page=page,
        country_choices=services.country_choices(),
        types=AGENCY_TYPES,
        filters={"country": country, "type": kind, "q": q},
        can_edit=lambda agency: services.can_edit_agency(current_user, agency.country_code),
        can_add=current_user.role in AGENCY_EDITORS,
    )


def _agency_form(obj=None):
    form = AgencyForm(obj=obj)
    if current_user.role == FOCAL_POINT:
        form.country.choices = {current_user.country_code: current_user.country.name}
    else:
        form.country.choices = services.country_choices()
    return form


@bp.route("/agencies/new", methods=["GET", "POST"])
@roles_required(*AGENCY_EDITORS)
def agency_new():
    form = _agency_form()
    if form.validate_on_submit():
        try:
            agency = services.create_agency(current_user, form.data)
        except (ValidationFailed, Conflict) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Agency “{agency.name}” saved.", "success")
            return redirect(url_for("reference.agencies", country=agency.country_code))
    return render_template("reference/agency_form.html", form=form, agency=None)


@bp.route("/agencies/<int:agency_id>/edit", methods=["GET", "POST"])
@roles_required(*AGENCY_EDITORS)
def agency_edit(agency_id):
    agency = db.session.get(Agency, agency_id)
    if agency is None or not services.can_edit_agency(current_user, agency.country_code):
        abort(404)
    form = _agency_form(obj=agency)
    if request.method == "GET":
        form.country.data = agency.country_code
        form.version.data = agency.version
    if form.validate_on_submit():
        try:
            services.update_agency(current_user, agency, form.data, form.version.data)
        except (ValidationFailed, Conflict) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Agency “{agency.name}” saved.", "success")
            return redirect(url_for("reference.agencies", country=agency.country_code))
    return render_template("reference/agency_form.html", form=form, agency=agency)


def _legal_bases_page(form):
    bases = services.legal_bases(include_inactive=True)
    return render_template("reference/legal_bases.html", bases=bases, form=form)


@bp.route("/legal-bases")
@signed_in
def legal_bases():
    return _legal_bases_page(LegalBasisForm() if current_user.role == ADMIN else None)


@bp.route("/legal-bases/save", methods=["POST"])
@roles_required(ADMIN)
def legal_basis_save():
    form = LegalBasisForm()
    if form.validate_on_submit():
        try:
            basis = services.save_legal_basis(
                current_user, form.code.data, form.name.data, form.active.data
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Legal basis “{basis.name}” saved.", "success")
            return redirect(url_for("reference.legal_bases"))
    return _legal_bases_page(form), 422
