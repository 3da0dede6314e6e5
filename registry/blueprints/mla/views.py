"""Pages for MLA requests: list, detail with timeline, create, edit, status, analytics."""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.blueprints.directory import services as directory
from registry.blueprints.mla import charts, services, stats
from registry.blueprints.mla.forms import EditRequestForm, NewRequestForm, StatusForm
from registry.blueprints.mla.importer import MlaImporter
from registry.blueprints.mla.models import (
    CRIME_TYPES,
    STATUS_LABELS,
    MlaRequest,
)
from registry.blueprints.reference.models import Agency, Country
from registry.blueprints.reference.services import country_choices, legal_bases
from registry.core import audit, settings
from registry.core.errors import ValidationFailed
from registry.core.export import csv_response
from registry.core.forms import apply_errors, save_form
from registry.core.importer import export_response
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, visible_or_404
from registry.core.roles import FOCAL_POINT
from registry.extensions import db

bp = Blueprint("mla", __name__, url_prefix="/mla")

READERS, CREATORS, STATUS_RECORDERS = services.READERS, services.CREATORS, services.STATUS_RECORDERS


def _request_or_404(request_id):
    return visible_or_404(MlaRequest, request_id, services.can_view)


@bp.route("/")
@roles_required(*READERS)
def index():
    _check_list_filters(request.args)
    today = date.today()
    overdue_days = settings.get("MLA_OVERDUE_DAYS")
    stmt = services.list_query(current_user, request.args, overdue_days, today)
    page = paginate(stmt, request.args.get("page", 1, type=int), 25)
    return render_template(
        "mla/index.html",
        page=page,
        today=today,
        overdue_days=overdue_days,
        filters=request.args,
        countries=country_choices(),
        statuses={
            "pending": "Pending (any)",
            "answered": "Answered (any final response)",
            "unanswered": "Not answered (pending, withdrawn or lapsed)",
            **STATUS_LABELS,
        },
        drill_down={k: request.args[k] for k in DRILL_DOWN if request.args.get(k)},
        crime_types=CRIME_TYPES,
        bases={b.code: b.name for b in legal_bases()},
        can_create=services.can_create(current_user),
    )


# Filters the analytics page's links set that have no control of their own on the list.
DRILL_DOWN = ("requesting", "requested", "assistance_type", "urgency", *services.LIST_DATES)


def _check_list_filters(args):
    if errors := services.list_filter_errors(args):
        raise ValidationFailed(_invalid(errors), errors)


@bp.route("/export.<any(csv, xlsx):kind>")
@roles_required(*READERS)
def export(kind):
    """The filtered list, in the import columns, so that it can be imported back."""
    _check_list_filters(request.args)
    return export_response(current_user, MlaImporter(), kind, request.args)


@bp.route("/<int:request_id>")
@roles_required(*READERS)
def detail(request_id):
    req = _request_or_404(request_id)
    status_form = None
    if services.can_record_status(current_user, req):
        status_form = StatusForm()
        status_form.status.choices = {
            s: STATUS_LABELS[s] for s in services.allowed_next(req.status)
        }
    return _detail_page(req, status_form)


def _detail_page(req, status_form, code=200):
    page = render_template(
        "mla/detail.html",
        req=req,
        today=date.today(),
        overdue_days=settings.get("MLA_OVERDUE_DAYS"),
        status_form=status_form,
        can_edit=services.can_edit(current_user, req),
        links=services.linked_records(current_user, req),
    )
    return page, code


def _prepare(form):
    countries = country_choices()
    form.requesting_country.choices = countries
    form.requested_country.choices = {"": "— choose the requested country —", **countries}
    agencies = db.session.execute(
        sa.select(Agency.id, Agency.name, Agency.country_code).order_by(
            Agency.country_code, Agency.name
        )
    ).all()
    grouped = {}
    for agency_id, name, country in agencies:
        grouped.setdefault(countries.get(country, country), {})[str(agency_id)] = name
    form.requesting_authority_id.choices = {"": "— not recorded —", **grouped}
    form.requested_authority_id.choices = {"": "— not recorded —", **grouped}
    form.legal_basis.choices = {b.code: b.name for b in legal_bases()}
    return form


def _form_data(form):
    data = {name: getattr(form, name).data for name in services.EDITABLE}
    data["assistance_types"] = form.assistance_types.data or []
    return data


def _form_page(form, req):
    """The form, with what the requested country needs for the assistance types ticked."""
    country = db.session.get(Country, form.requested_country.data or "")
    needs = directory.needs(country, form.assistance_types.data or []) if country else None
    return render_template("mla/form.html", form=form, req=req, needs=needs)


def _showing_needs():
    # The form's "show requirements" button (for browsers without script) saves nothing.
    return request.method == "POST" and "show_needs" in request.form


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*CREATORS)
def new():
    form = _prepare(NewRequestForm())
    if request.method == "GET" and current_user.role == FOCAL_POINT:
        form.requesting_country.data = current_user.country_code
    req = None
    if not _showing_needs():
        req = save_form(
            form,
            lambda: services.create_request(
                current_user, {**_form_data(form), "date_sent": form.date_sent.data}
            ),
        )
    if req is not None:
        db.session.commit()
        flash(f"MLA request {req.reference} saved as {req.status_label.lower()}.", "success")
        return redirect(url_for("mla.detail", request_id=req.id))
    return _form_page(form, None)


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@roles_required(*CREATORS)
def edit(request_id):
    req = _request_or_404(request_id)
    if not services.can_edit(current_user, req):
        abort(403)
    form = _prepare(EditRequestForm(obj=req))
    if request.method == "GET":
        form.version.data = req.version
        form.assistance_types.data = req.assistance_types
        form.requesting_authority_id.data = str(req.requesting_authority_id or "")
        form.requested_authority_id.data = str(req.requested_authority_id or "")
    if not _showing_needs() and save_form(
        form,
        lambda: services.update_request(
            current_user, req, _form_data(form), form.version.data, form.reason.data
        ),
    ):
        db.session.commit()
        flash(f"MLA request {req.reference} saved.", "success")
        return redirect(url_for("mla.detail", request_id=req.id))
    return _form_page(form, req)


@bp.route("/<int:request_id>/status", methods=["POST"])
@roles_required(*STATUS_RECORDERS)
def record_status(request_id):
    req = _request_or_404(request_id)
    if not services.can_record_status(current_user, req):
        abort(403)
    form = StatusForm()
    form.status.choices = {s: STATUS_LABELS[s] for s in services.allowed_next(req.status)}
    if form.validate_on_submit():
        try:
            services.record_status(
                current_user,
                req,
                form.status.data,
                form.date.data,
                note=form.note.data,
                ground=form.ground.data or None,
                reason=form.reason.data,
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(
                f"Recorded: {req.status_label.lower()} on {form.date.data.isoformat()}.", "success"
            )
            return redirect(url_for("mla.detail", request_id=req.id))
    db.session.rollback()
    return _detail_page(db.session.get(MlaRequest, request_id), form, 422)


def _analytics_filters(args):
    """The page's filters: final-response period, sending period, a country; 422 if invalid."""
    errors, days = {}, {}
    for name in ("from", "to", "sent_from", "sent_to"):
        try:
            days[name] = date.fromisoformat(args[name]) if args.get(name) else None
        except ValueError:
            errors[name] = ["Give the date as YYYY-MM-DD."]
    country = args.get("country") or None
    if country and not (len(country) == 3 and country.isalpha()):
        errors["country"] = ["Give an ISO alpha-3 country code."]
    if errors:
        raise ValidationFailed(_invalid(errors), errors)
    filters = stats.Filters(date_from=days["from"], date_to=days["to"], country=country)
    cohort = stats.Cohort(
        as_of=date.today(), sent_from=days["sent_from"], sent_to=days["sent_to"], country=country
    )
    return filters, cohort


def _invalid(errors):
    return "Not a valid filter: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items())


@bp.route("/analytics")
@roles_required(*READERS)
def analytics():
    filters, cohort = _analytics_filters(request.args)
    overdue_days = settings.get("MLA_OVERDUE_DAYS")
    names = country_choices()
    survival = {
        group: stats.survival(current_user, group, cohort)
        for group in ("pair", "requesting_country", "requested_country", "year")
    }
    survival["pair"].sort(
        key=lambda r: (names[r["requesting_country"]], names[r["requested_country"]])
    )
    stages = stats.stage_durations(current_user, cohort)
    return render_template(
        "mla/analytics.html",
        filters=filters,
        cohort=cohort,
        countries=names,
        tables={group: stats.turnaround(current_user, group, filters) for group in stats.GROUPINGS},
        counts=stats.status_counts(current_user, filters),
        ages=stats.pending_by_age(current_user, filters, cohort.as_of, overdue_days),
        survival=survival,
        by_country=_by_country(survival, names),
        stages=stages,
        charts={
            "curves": charts.curves_chart(survival["pair"], names),
            "stages": charts.stages_chart(stages),
            "trend": charts.trend_chart(survival["year"]),
        },
        status_labels=STATUS_LABELS,
        small_number=stats.SMALL_NUMBER,
        overdue_days=overdue_days,
        today=cohort.as_of,
        query={k: v for k, v in request.args.items() if k in ANALYTICS_FILTERS and v},
    )


ANALYTICS_FILTERS = ("from", "to", "sent_from", "sent_to", "country")


def _by_country(survival, names):
    """Each country with requests, as requesting and as requested side."""
    sides = {
        side: {row[f"{side}_country"]: row for row in survival[f"{side}_country"]}
        for side in ("requesting", "requested")
    }
    codes = sorted(set(sides["requesting"]) | set(sides["requested"]), key=names.get)
    return [(code, sides["requesting"].get(code), sides["requested"].get(code)) for code in codes]


@bp.route("/analytics.csv")
@roles_required(*READERS)
def analytics_csv():
    filters, _cohort = _analytics_filters(request.args)
    group = request.args.get("group_by", "pair")
    if group not in stats.GROUPINGS:
        abort(400, description=f"group_by must be one of {', '.join(stats.GROUPINGS)}")
    rows = stats.turnaround(current_user, group, filters)
    keys = stats.GROUPINGS[group]
    header = [*keys, "count", "median_days", "p90_days", *(f"{k}_label" for k in keys)]
    names = country_choices()
    audit.record(
        current_user, "export", "MlaTurnaround", details={"group_by": group, "rows": len(rows)}
    )
    db.session.commit()
    return csv_response(
        header,
        (
            [
                *(row[k] for k in (*keys, "count", "median_days", "p90_days")),
                *stats.group_labels(row, keys, names).values(),
            ]
            for row in rows
        ),
        f"mla-turnaround-{group}.csv",
    )
