"""Pages of the work-plan tracker."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.blueprints.workplan import services
from registry.blueprints.workplan.forms import EditItemForm, ItemForm
from registry.blueprints.workplan.importer import WorkPlanImporter
from registry.blueprints.workplan.models import STATUSES, WorkPlanItem
from registry.core.errors import Conflict, Forbidden, ValidationFailed
from registry.core.forms import apply_errors
from registry.core.importer import export_response
from registry.core.pagination import paginate
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db

bp = Blueprint("workplan", __name__, url_prefix="/work-plan")


def _data(form):
    return {k: v for k, v in form.data.items() if k not in ("csrf_token", "version", "reason")}


@bp.route("/")
@roles_required(*services.READERS)
def index():
    page = paginate(services.list_query(request.args), request.args.get("page", 1, type=int), 50)
    return render_template(
        "workplan/index.html",
        page=page,
        filters=request.args,
        statuses=STATUSES,
        can_edit=current_user.role in services.EDITORS,
    )


@bp.route("/export.<any(csv, xlsx):kind>")
@roles_required(*services.READERS)
def export(kind):
    """The filtered list in the import columns."""
    return export_response(current_user, WorkPlanImporter(), kind, request.args)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def new():
    form = ItemForm()
    if form.validate_on_submit():
        try:
            item = services.create(current_user, _data(form))
        except (ValidationFailed, Forbidden) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Work-plan item saved.", "success")
            return redirect(url_for("workplan.detail", work_plan_item_id=item.id))
    return render_template("workplan/form.html", form=form, item=None)


@bp.route("/<int:work_plan_item_id>")
@roles_required(*services.READERS)
def detail(work_plan_item_id):
    item = visible_or_404(WorkPlanItem, work_plan_item_id, services.can_view)
    return render_template(
        "workplan/detail.html",
        item=item,
        statuses=STATUSES,
        can_edit=current_user.role in services.EDITORS,
    )


@bp.route("/<int:work_plan_item_id>/edit", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def edit(work_plan_item_id):
    item = visible_or_404(WorkPlanItem, work_plan_item_id, services.can_view)
    form = EditItemForm(obj=item)
    if request.method == "GET":
        form.version.data = item.version
    if form.validate_on_submit():
        data = _data(form)
        if (data["status"], data["status_date"]) == (item.status, item.status_date):
            data["status"] = data["status_date"] = None
        try:
            services.update(current_user, item, data, form.version.data, form.reason.data)
        except (ValidationFailed, Conflict) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Work-plan item saved.", "success")
            return redirect(url_for("workplan.detail", work_plan_item_id=item.id))
    return render_template("workplan/form.html", form=form, item=item)
