"""Pages for prosecution cases, annual statistics, the reconciliation and country profiles."""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.blueprints.jits.models import Jit
from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.prosecutions import figures, services
from registry.blueprints.prosecutions.forms import (
    DefendantForm,
    EditCaseForm,
    NewCaseForm,
    StageForm,
    StatisticForm,
    VictimCountForm,
)
from registry.blueprints.prosecutions.importer import CaseImporter, StatisticsImporter
from registry.blueprints.prosecutions.models import (
    AGE_GROUPS,
    CRIME_TYPES,
    EXPLOITATION_FORMS,
    FLAGS,
    METRICS,
    OUTCOMES,
    SEXES,
    STAGES,
    AnnualStatistic,
    ProsecutionCase,
)
from registry.blueprints.reference.models import Country
from registry.blueprints.reference.services import country_choices
from registry.core import params
from registry.core.errors import Conflict, Forbidden, ValidationFailed
from registry.core.forms import apply_errors, save_form
from registry.core.importer import export_response
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, scoped, visible_or_404
from registry.extensions import db

bp = Blueprint("prosecutions", __name__, url_prefix="/prosecutions")
LABELS = {
    "crime": CRIME_TYPES,
    "stage": STAGES,
    "forms": EXPLOITATION_FORMS,
    "outcome": OUTCOMES,
    "sex": SEXES,
    "age": AGE_GROUPS,
    "metric": METRICS,
}


def _case_or_404(case_id):
    return visible_or_404(
        ProsecutionCase, case_id, lambda user, c: services.can_view(user, c.country)
    )


def _editable_countries():
    countries = country_choices(asean_only=True)
    if current_user.role == "focal_point":
        return {current_user.country_code: countries[current_user.country_code]}
    return countries


def _prepare(form):
    form.country.choices = _editable_countries()
    form.mla_request_ids.choices = {
        r.id: r.reference
        for r in db.session.execute(
            scoped(sa.select(MlaRequest.id, MlaRequest.reference), current_user, MlaRequest)
            .order_by(MlaRequest.reference)
            .limit(500)
        )
    }
    form.jit_ids.choices = {
        j.id: j.name
        for j in db.session.execute(
            scoped(sa.select(Jit.id, Jit.name), current_user, Jit).order_by(Jit.name).limit(500)
        )
    }
    return form


def _data(form):
    data = {f: getattr(form, f).data for f in services.CASE_FIELDS}
    data |= {
        "exploitation_forms": form.exploitation_forms.data or [],
        "mla_request_ids": form.mla_request_ids.data or [],
        "jit_ids": form.jit_ids.data or [],
    }
    return data


@bp.route("/")
@roles_required(*services.READERS)
def index():
    page = paginate(
        services.cases_query(current_user, request.args), request.args.get("page", 1, type=int), 25
    )
    return render_template(
        "prosecutions/index.html",
        page=page,
        filters=request.args,
        countries=country_choices(asean_only=True),
        labels=LABELS,
        flags=FLAGS,
        can_create=current_user.role in services.EDITORS,
    )


@bp.route("/cases.csv")
@roles_required(*services.READERS)
def export_csv():
    return export_response(current_user, CaseImporter(), "csv", request.args)


@bp.route("/cases.xlsx")
@roles_required(*services.READERS)
def export_xlsx():
    return export_response(current_user, CaseImporter(), "xlsx", request.args)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def new():
    form = _prepare(NewCaseForm())
    earlier = ("stage", "stage_date", *services.EARLIER)
    case = save_form(
        form,
        lambda: services.create_case(
            current_user, {**_data(form), **{f: getattr(form, f).data for f in earlier}}
        ),
    )
    if case is not None:
        db.session.commit()
        flash(f"Case {case.reference} saved at {STAGES[case.stage].lower()}.", "success")
        return redirect(url_for("prosecutions.detail", case_id=case.id))
    return render_template("prosecutions/form.html", form=form, case=None)


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def edit(case_id):
    case = _case_or_404(case_id)
    if not services.can_edit(current_user, case.country):
        abort(403)
    form = _prepare(EditCaseForm(obj=case))
    if request.method == "GET":
        form.exploitation_forms.data = case.exploitation_forms
        seen_mla, seen_jits = services.linked(current_user, case)
        form.mla_request_ids.data = [r.id for r in seen_mla]
        form.jit_ids.data = [j.id for j in seen_jits]
        form.version.data = case.version
    saved = save_form(
        form,
        lambda: services.update_case(
            current_user, case, _data(form), form.version.data, form.reason.data
        ),
    )
    if saved is not None:
        db.session.commit()
        flash(f"Case {case.reference} saved.", "success")
        return redirect(url_for("prosecutions.detail", case_id=case.id))
    return render_template("prosecutions/form.html", form=form, case=case)


def _nationalities():
    return {c.iso3: c.name for c in db.session.scalars(sa.select(Country).order_by(Country.name))}


def _detail_page(case, forms=None, code=200):
    forms = forms or {}
    editable = services.can_edit(current_user, case.country)
    nationalities = _nationalities()
    stage_form = forms.get("stage") or StageForm()
    stage_form.stage.choices = {
        s: STAGES[s]
        for s in STAGES
        if s == "closed" or list(STAGES).index(s) > list(STAGES).index(case.stage)
    }
    defendant_form = forms.get("defendant") or DefendantForm()
    defendant_form.nationality.choices = {"": "— not known —", **nationalities}
    victim_form = forms.get("victims") or VictimCountForm()
    victim_form.nationality.choices = {"": "— choose a nationality —", **nationalities}
    return render_template(
        "prosecutions/detail.html",
        case=case,
        linked=services.linked(current_user, case),
        labels=LABELS,
        can_edit=editable,
        stage_form=stage_form if editable and case.stage != "closed" else None,
        defendant_form=defendant_form if editable else None,
        victim_form=victim_form if editable else None,
        nationalities=nationalities,
    ), code


@bp.route("/<int:case_id>")
@roles_required(*services.READERS)
def detail(case_id):
    return _detail_page(_case_or_404(case_id))


def _case_action(case_id, key, form_class, run, said):
    case = _case_or_404(case_id)
    if not services.can_edit(current_user, case.country):
        abort(403)
    form = form_class()
    if key == "stage":
        form.stage.choices = STAGES
    elif key in ("defendant", "victims"):
        form.nationality.choices = {"": "—", **_nationalities()}
    if save_form(form, lambda: run(case, form) or True, ValidationFailed):
        db.session.commit()
        flash(said(form), "success")
        return redirect(url_for("prosecutions.detail", case_id=case.id))
    db.session.rollback()
    return _detail_page(db.session.get(ProsecutionCase, case_id), {key: form}, 422)


@bp.route("/<int:case_id>/stage", methods=["POST"])
@roles_required(*services.EDITORS)
def stage(case_id):
    return _case_action(
        case_id,
        "stage",
        StageForm,
        lambda c, f: services.record_stage(current_user, c, f.stage.data, f.date.data),
        lambda f: f"Stage recorded: {STAGES[f.stage.data].lower()} on {f.date.data}.",
    )


@bp.route("/<int:case_id>/defendants", methods=["POST"])
@roles_required(*services.EDITORS)
def add_defendant(case_id):
    return _case_action(
        case_id,
        "defendant",
        DefendantForm,
        lambda c, f: services.add_defendant(current_user, c, f.data),
        lambda f: (
            f"Defendant added ({SEXES[f.sex.data].lower()}, {OUTCOMES[f.outcome.data].lower()})."
        ),
    )


@bp.route("/<int:case_id>/victims", methods=["POST"])
@roles_required(*services.EDITORS)
def victims(case_id):
    return _case_action(
        case_id,
        "victims",
        VictimCountForm,
        lambda c, f: services.set_victim_count(current_user, c, f.data),
        lambda f: (
            f"Victims recorded: {f.count.data} {SEXES[f.sex.data].lower()}, "
            f"{AGE_GROUPS[f.age_group.data].lower()}, {f.nationality.data}."
        ),
    )


@bp.route("/statistics")
@roles_required(*services.READERS)
def statistics():
    page = paginate(
        services.statistics_query(current_user, request.args),
        request.args.get("page", 1, type=int),
        50,
    )
    return render_template(
        "prosecutions/statistics.html",
        page=page,
        filters=request.args,
        countries=country_choices(asean_only=True),
        metrics=METRICS,
        can_create=current_user.role in services.EDITORS,
    )


@bp.route("/statistics.<any(csv, xlsx):kind>")
@roles_required(*services.READERS)
def statistics_export(kind):
    """The filtered figures, in the import columns, so that they can be imported back."""
    return export_response(current_user, StatisticsImporter(), kind, request.args)


@bp.route("/statistics/new", methods=["GET", "POST"])
@bp.route("/statistics/<int:stat_id>", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def statistic_form(stat_id=None):
    statistic = db.session.get(AnnualStatistic, stat_id) if stat_id else None
    if stat_id and (statistic is None or not services.can_view(current_user, statistic.country)):
        abort(404)
    form = StatisticForm(obj=statistic)
    form.country.choices = _editable_countries()
    if request.method == "GET" and statistic:
        form.version.data = statistic.version
    if form.validate_on_submit():
        try:
            services.save_statistic(
                current_user, form.data, statistic, form.version.data, form.reason.data
            )
        except (ValidationFailed, Conflict, Forbidden) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Statistic saved.", "success")
            return redirect(url_for("prosecutions.statistics", country=form.country.data))
    return render_template("prosecutions/statistic_form.html", form=form, statistic=statistic)


@bp.route("/reconciliation")
@roles_required(*services.READERS)
def reconciliation():
    countries = (
        _editable_countries()
        if current_user.role == "focal_point"
        else country_choices(asean_only=True)
    )
    # Opens on the user's own country; a regional user without one chooses (nothing is shown
    # for a country nobody asked about).
    country = request.args.get("country") or (
        current_user.country_code if current_user.country_code in countries else None
    )
    if country is not None and country not in countries:
        abort(404)
    last = params.integer(request.args, "year", params.MIN_YEAR + 4, params.MAX_YEAR) or (
        date.today().year
    )
    rows = figures.reconciliation(country, last - 4, last) if country else []
    return render_template(
        "prosecutions/reconciliation.html",
        rows=rows,
        country=country,
        countries=countries,
        last=last,
        labels=LABELS,
    )


@bp.route("/countries/<iso3>")
@roles_required(*services.PROFILE_READERS)
def profile(iso3):
    country = db.session.get(Country, iso3.upper())
    if country is None or not services.can_view_profile(current_user, country.iso3):
        abort(404)
    return render_template(
        "prosecutions/profile.html",
        country=country,
        data=figures.profile(country.iso3),
        labels=LABELS,
        case_reader=current_user.role in services.READERS,
    )
