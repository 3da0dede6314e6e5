"""Pages for joint investigation teams."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.blueprints.jits import services
from registry.blueprints.jits.forms import EditJitForm, ExtensionForm, JitForm, StatusForm
from registry.blueprints.jits.importer import JitImporter
from registry.blueprints.jits.models import (
    EVALUATION_FIELDS,
    JIT_TYPES,
    OUTCOME_FIELDS,
    STATUS_LABELS,
    Jit,
)
from registry.blueprints.reference.services import country_choices, legal_bases
from registry.core.errors import ValidationFailed
from registry.core.forms import apply_errors, save_form
from registry.core.importer import export_response
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db

bp = Blueprint("jits", __name__, url_prefix="/jits")
EDIT_FIELDS = (
    *services.FIELDS,
    *OUTCOME_FIELDS,
    *EVALUATION_FIELDS,
    "assets_value",
    "assets_currency",
)


def _jit_or_404(jit_id):
    return visible_or_404(Jit, jit_id, services.can_view)


def _prepare(form):
    countries = country_choices()
    form.member_countries.choices = countries
    form.lead_country.choices = countries
    form.legal_basis.choices = {b.code: b.name for b in legal_bases()}
    form.mla_request_ids.choices = {r.id: r.reference for r in services.linkable_mla(current_user)}
    return form


def _data(form):
    data = {f: getattr(form, f).data for f in EDIT_FIELDS}
    data["member_countries"] = form.member_countries.data or []
    data["mla_request_ids"] = form.mla_request_ids.data or []
    return data


@bp.route("/")
@roles_required(*services.READERS)
def index():
    page = paginate(
        services.list_query(current_user, request.args), request.args.get("page", 1, type=int), 25
    )
    return render_template(
        "jits/index.html",
        page=page,
        filters=request.args,
        countries=country_choices(),
        statuses=STATUS_LABELS,
        types=JIT_TYPES,
        can_create=current_user.role in services.EDITORS,
    )


@bp.route("/export.<any(csv, xlsx):kind>")
@roles_required(*services.READERS)
def export(kind):
    """The filtered list, in the import columns, so that it can be imported back."""
    return export_response(current_user, JitImporter(), kind, request.args)


@bp.route("/<int:jit_id>")
@roles_required(*services.READERS)
def detail(jit_id):
    jit = _jit_or_404(jit_id)
    return _detail_page(jit)


def _detail_page(jit, status_form=None, extension_form=None, code=200):
    editable = services.can_edit(current_user, jit)
    if editable:
        status_form = status_form or StatusForm()
        status_form.status.choices = {s: STATUS_LABELS[s] for s in services.TRANSITIONS[jit.status]}
        extension_form = extension_form or ExtensionForm()
    return render_template(
        "jits/detail.html",
        jit=jit,
        linked_mla=services.linked_mla(current_user, jit),
        can_edit=editable,
        status_form=status_form if editable and services.TRANSITIONS[jit.status] else None,
        extension_form=extension_form if editable else None,
    ), code


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def new():
    form = _prepare(JitForm())
    if request.method == "GET" and current_user.country_code:
        form.member_countries.data = [current_user.country_code]
        form.lead_country.data = current_user.country_code
    jit = save_form(form, lambda: services.create_jit(current_user, _data(form)))
    if jit is not None:
        db.session.commit()
        flash(f"Joint investigation team “{jit.name}” saved.", "success")
        return redirect(url_for("jits.detail", jit_id=jit.id))
    return render_template("jits/form.html", form=form, jit=None)


@bp.route("/<int:jit_id>/edit", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def edit(jit_id):
    jit = _jit_or_404(jit_id)
    if not services.can_edit(current_user, jit):
        abort(403)
    form = _prepare(EditJitForm(obj=jit))
    if request.method == "GET":
        form.member_countries.data = jit.member_countries
        form.mla_request_ids.data = [r.id for r in services.linked_mla(current_user, jit)]
        form.version.data = jit.version
    saved = save_form(
        form,
        lambda: services.update_jit(
            current_user, jit, _data(form), form.version.data, form.reason.data
        ),
    )
    if saved is not None:
        db.session.commit()
        flash(f"Joint investigation team “{jit.name}” saved.", "success")
        return redirect(url_for("jits.detail", jit_id=jit.id))
    return render_template("jits/form.html", form=form, jit=jit)


def _small_form_action(jit_id, form_class, run):
    jit = _jit_or_404(jit_id)
    if not services.can_edit(current_user, jit):
        abort(403)
    form = form_class()
    if form_class is StatusForm:
        form.status.choices = {s: STATUS_LABELS[s] for s in services.TRANSITIONS[jit.status]}
    if form.validate_on_submit():
        try:
            run(jit, form)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            return redirect(url_for("jits.detail", jit_id=jit.id))
    db.session.rollback()
    jit = db.session.get(Jit, jit_id)
    forms = {"status_form": form} if form_class is StatusForm else {"extension_form": form}
    return _detail_page(jit, code=422, **forms)


@bp.route("/<int:jit_id>/status", methods=["POST"])
@roles_required(*services.EDITORS)
def change_status(jit_id):
    def run(jit, form):
        services.change_status(current_user, jit, form.status.data, form.reason.data)
        flash(f"The team is now {jit.status_label.lower()}.", "success")

    return _small_form_action(jit_id, StatusForm, run)


@bp.route("/<int:jit_id>/extensions", methods=["POST"])
@roles_required(*services.EDITORS)
def add_extension(jit_id):
    def run(jit, form):
        services.add_extension(current_user, jit, form.data)
        flash(f"Extended to {form.new_end.data.isoformat()}.", "success")

    return _small_form_action(jit_id, ExtensionForm, run)
