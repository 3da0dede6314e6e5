"""Pages for meetings and the open action items across them."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.blueprints.meetings import services, updates
from registry.blueprints.meetings.forms import (
    ActionItemForm,
    ActionItemStatusForm,
    CountryUpdateForm,
    EditMeetingForm,
    MeetingForm,
    ReopenUpdateForm,
)
from registry.blueprints.meetings.importer import MeetingImporter
from registry.blueprints.meetings.models import ITEM_STATUSES, MEETING_TYPES, ActionItem, Meeting
from registry.blueprints.reference.models import Agency
from registry.blueprints.reference.services import country_choices
from registry.core.errors import Conflict, Forbidden, ValidationFailed
from registry.core.forms import apply_errors
from registry.core.importer import export_response
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, visible_or_404
from registry.core.roles import FOCAL_POINT
from registry.extensions import db

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def _meeting_or_404(meeting_id):
    return visible_or_404(Meeting, meeting_id, services.can_view)


def _prepare(form):
    countries = country_choices()
    form.countries.choices = countries
    form.host_country.choices = {"": "— none —", **countries}
    agencies = db.session.scalars(
        db.select(Agency).order_by(Agency.country_code, Agency.name)
    ).all()
    form.agency_ids.choices = {a.id: f"{a.country_code} · {a.name}" for a in agencies}
    return form


def _data(form):
    fields = [f for f in services.FIELDS if f != "counts_toward_2_6_1"]
    data = {f: getattr(form, f).data for f in fields}
    data["countries"] = form.countries.data or []
    data["agency_ids"] = form.agency_ids.data or []
    data["counts_toward_2_6_1"] = {"yes": True, "no": False}.get(form.counts_toward_2_6_1.data)
    return data


@bp.route("/")
@roles_required(*services.READERS)
def index():
    page = paginate(
        services.list_query(current_user, request.args), request.args.get("page", 1, type=int), 25
    )
    return render_template(
        "meetings/index.html",
        page=page,
        filters=request.args,
        countries=country_choices(),
        types=MEETING_TYPES,
        can_create=current_user.role in services.EDITORS,
    )


@bp.route("/export.<any(csv, xlsx):kind>")
@roles_required(*services.READERS)
def export(kind):
    """The filtered list, in the import columns, so that it can be imported back."""
    return export_response(current_user, MeetingImporter(), kind, request.args)


@bp.route("/action-items")
@roles_required(*services.READERS)
def action_items():
    today = date.today()
    stmt = services.action_items_query(current_user, request.args, today)
    page = paginate(stmt, request.args.get("page", 1, type=int), 50)
    return render_template(
        "meetings/action_items.html",
        page=page,
        today=today,
        filters=request.args,
        countries=country_choices(),
        statuses=ITEM_STATUSES,
    )


@bp.route("/<int:meeting_id>")
@roles_required(*services.READERS)
def detail(meeting_id):
    return _detail_page(_meeting_or_404(meeting_id))


def _detail_page(meeting, item_form=None, code=200):
    editable = services.can_edit(current_user, meeting)
    if editable:
        item_form = item_form or ActionItemForm()
        item_form.owner_country.choices = {
            p.country_code: p.country.name for p in meeting.participations
        }
    status_forms = {}
    if editable:
        for item in meeting.action_items:
            form = ActionItemStatusForm(
                prefix=f"item{item.id}", status=item.status, version=item.version
            )
            status_forms[item.id] = form
    page = render_template(
        "meetings/detail.html",
        meeting=meeting,
        can_edit=editable,
        item_form=item_form if editable else None,
        status_forms=status_forms,
        today=date.today(),
    )
    return page, code


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def new():
    form = _prepare(MeetingForm())
    if request.method == "GET" and current_user.country_code:
        form.countries.data = [current_user.country_code]
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(current_user, _data(form))
        except (ValidationFailed, Forbidden) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Meeting “{meeting.title}” saved.", "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, meeting=None)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def edit(meeting_id):
    meeting = _meeting_or_404(meeting_id)
    if not services.can_edit(current_user, meeting):
        abort(403)
    form = _prepare(EditMeetingForm(obj=meeting))
    if request.method == "GET":
        form.countries.data = meeting.countries
        form.agency_ids.data = [a.id for a in meeting.agencies]
        form.host_country.data = meeting.host_country or ""
        form.counts_toward_2_6_1.data = "yes" if meeting.counts_toward_2_6_1 else "no"
        form.version.data = meeting.version
    if form.validate_on_submit():
        try:
            services.update_meeting(
                current_user, meeting, _data(form), form.version.data, form.reason.data
            )
        except (ValidationFailed, Conflict, Forbidden) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Meeting “{meeting.title}” saved.", "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, meeting=meeting)


@bp.route("/<int:meeting_id>/action-items", methods=["POST"])
@roles_required(*services.EDITORS)
def add_item(meeting_id):
    meeting = _meeting_or_404(meeting_id)
    if not services.can_edit(current_user, meeting):
        abort(403)
    form = ActionItemForm()
    form.owner_country.choices = {p.country_code: p.country.name for p in meeting.participations}
    if form.validate_on_submit():
        try:
            services.add_action_item(current_user, meeting, form.data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Action item added.", "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    db.session.rollback()
    return _detail_page(db.session.get(Meeting, meeting_id), form, 422)


@bp.route("/action-items/<int:item_id>", methods=["POST"])
@roles_required(*services.EDITORS)
def update_item(item_id):
    item = db.session.get(ActionItem, item_id)
    if item is None or not services.can_view(current_user, item.meeting):
        abort(404)
    if not services.can_edit(current_user, item.meeting):
        abort(403)
    form = ActionItemStatusForm(prefix=f"item{item.id}")
    if form.validate_on_submit():
        try:
            services.update_action_item(
                current_user,
                item,
                {"status": form.status.data},
                form.version.data,
                form.reason.data,
            )
        except (ValidationFailed, Conflict) as exc:
            flash(exc.message + " " + " ".join(sum(exc.errors.values(), [])), "error")
        else:
            db.session.commit()
            flash("Action item updated.", "success")
    else:
        flash("Say why you change this item.", "error")
    return redirect(url_for("meetings.detail", meeting_id=item.meeting_id))


def _updates_page(meeting, form=None, code=200):
    writer = current_user.role in updates.WRITERS
    if writer and form is None:
        form = CountryUpdateForm()
        own = updates.of_meeting(meeting).get(current_user.country_code)
        if own is not None and own.status == "draft":
            form = CountryUpdateForm(obj=own)
    if form is not None:
        form.country.choices = {p.country_code: p.country.name for p in meeting.participations}
    page = render_template(
        "meetings/updates.html",
        meeting=meeting,
        rows=updates.tracker(current_user, meeting),
        form=form if writer else None,
        reopen_form=ReopenUpdateForm(),
        on_behalf=current_user.role != FOCAL_POINT,
    )
    return page, code


@bp.route("/<int:meeting_id>/updates", methods=["GET", "POST"])
@roles_required(*services.READERS)
def country_updates(meeting_id):
    """The tracker of the participating countries' updates, and the form to write one."""
    meeting = _meeting_or_404(meeting_id)
    if request.method == "GET":
        return _updates_page(meeting)
    if current_user.role not in updates.WRITERS:
        abort(403)
    form = CountryUpdateForm()
    form.country.choices = {p.country_code: p.country.name for p in meeting.participations}
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        try:
            update = updates.save(current_user, meeting, data)
        except (ValidationFailed, Conflict) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Update of {update.country.name} saved ({update.status}).", "success")
            return redirect(url_for("meetings.country_updates", meeting_id=meeting.id))
    db.session.rollback()
    return _updates_page(db.session.get(Meeting, meeting_id), form, 422)


@bp.route("/<int:meeting_id>/updates/reopen", methods=["POST"])
@roles_required(*updates.WRITERS)
def reopen_update(meeting_id):
    meeting = _meeting_or_404(meeting_id)
    form = ReopenUpdateForm()
    if not form.validate_on_submit():
        flash("Say why you reopen this update.", "error")
    else:
        try:
            updates.reopen(current_user, meeting, form.country.data, form.reason.data)
        except (ValidationFailed, Forbidden) as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash("Update reopened as a draft.", "success")
    return redirect(url_for("meetings.country_updates", meeting_id=meeting.id))
