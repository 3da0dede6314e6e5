"""Pages for trainings, participants (with upload and certificates) and practitioners."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from registry.blueprints.reference.models import Agency
from registry.blueprints.reference.services import country_choices
from registry.blueprints.training import services, upload
from registry.blueprints.training.forms import (
    EditPractitionerForm,
    EditTrainingForm,
    MergeForm,
    PractitionerForm,
    TrainingForm,
    UploadForm,
)
from registry.blueprints.training.models import (
    MODALITIES,
    ROLE_TYPES,
    SEXES,
    TOPICS,
    ParticipantUpload,
    Participation,
    Practitioner,
    Training,
)
from registry.core import audit, settings
from registry.core.errors import Conflict, Forbidden, ValidationFailed
from registry.core.export import csv_response, xlsx_response
from registry.core.forms import apply_errors
from registry.core.pagination import paginate
from registry.core.pdf import render_pdf
from registry.core.permissions import roles_required, visible_or_404
from registry.extensions import db

bp = Blueprint("training", __name__, url_prefix="/training")


def _training_or_404(training_id):
    return visible_or_404(Training, training_id, services.can_view_training)


def _practitioner_or_404(practitioner_id):
    return visible_or_404(Practitioner, practitioner_id, services.can_view_practitioner)


def _countries_for_edit():
    countries = country_choices()
    if current_user.role == "focal_point":
        return {current_user.country_code: countries[current_user.country_code]}
    return countries


def person_shown(practitioner):
    """Name and agency, or "restricted" and the agency's type for roles that may not see them."""
    return services.shown_person(current_user, practitioner)


def _audit_names_read(object_type, object_id, count):
    if count:
        audit.record(current_user, "read", object_type, object_id, {"names_shown": count})
        db.session.commit()


@bp.route("/")
@roles_required(*services.READERS)
def index():
    page = paginate(
        services.trainings_query(current_user, request.args),
        request.args.get("page", 1, type=int),
        25,
    )
    return render_template(
        "training/index.html",
        page=page,
        filters=request.args,
        countries=country_choices(),
        topics=TOPICS,
        modalities=MODALITIES,
        can_create=current_user.role in services.EDITORS,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def new():
    form = TrainingForm()
    form.country.choices = _countries_for_edit()
    if form.validate_on_submit():
        try:
            training = services.create_training(current_user, form.data)
        except (ValidationFailed, Forbidden) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Training “{training.title}” saved.", "success")
            return redirect(url_for("training.detail", training_id=training.id))
    return render_template("training/form.html", form=form, training=None)


@bp.route("/<int:training_id>/edit", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def edit(training_id):
    training = _training_or_404(training_id)
    if not services.can_edit_country(current_user, training.country):
        abort(403)
    form = EditTrainingForm(obj=training)
    form.country.choices = _countries_for_edit()
    if request.method == "GET":
        form.topics.data = training.topics
        form.version.data = training.version
    if form.validate_on_submit():
        try:
            services.update_training(
                current_user, training, form.data, form.version.data, form.reason.data
            )
        except (ValidationFailed, Conflict, Forbidden) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Training saved.", "success")
            return redirect(url_for("training.detail", training_id=training.id))
    return render_template("training/form.html", form=form, training=training)


@bp.route("/<int:training_id>")
@roles_required(*services.READERS)
def detail(training_id):
    training = _training_or_404(training_id)
    rows = services.participants(training)
    people = {p.id: services.shown_person(current_user, p.practitioner) for p in rows}
    named = sum(1 for person in people.values() if person["name"] != services.RESTRICTED)
    _audit_names_read("Training", training.id, named)
    threshold = settings.get("IMPROVEMENT_THRESHOLD")
    by_sex = {code: sum(1 for p in rows if p.practitioner.sex == code) for code in SEXES}
    return render_template(
        "training/detail.html",
        training=training,
        rows=rows,
        threshold=threshold,
        improved=sum(1 for p in rows if p.improved(threshold)),
        by_sex=by_sex,
        sexes=SEXES,
        topics=TOPICS,
        roles=ROLE_TYPES,
        people=people,
        restricted=services.RESTRICTED,
        can_edit=services.can_edit_country(current_user, training.country),
        upload_form=UploadForm(),
    )


def _participant_export(training_id, kind):
    training = _training_or_404(training_id)
    rows = services.participants(training)
    people = [services.shown_person(current_user, p.practitioner) for p in rows]
    named = sum(1 for person in people if person["name"] != services.RESTRICTED)
    threshold = settings.get("IMPROVEMENT_THRESHOLD")
    header = [
        "name",
        "sex",
        "country",
        "agency",
        "role",
        "pre",
        "post",
        "gain",
        "improved",
        "completed",
    ]
    data = [
        [
            person["name"],
            p.practitioner.sex,
            p.practitioner.country,
            person["agency"],
            p.practitioner.role_type,
            p.pre_score,
            p.post_score,
            p.gain,
            "yes" if p.improved(threshold) else "no",
            "yes" if p.completed else "no",
        ]
        for p, person in zip(rows, people, strict=True)
    ]
    audit.record(
        current_user,
        "export",
        "Training",
        training.id,
        {"rows": len(data), "names_shown": named, "format": kind},
    )
    db.session.commit()
    respond = csv_response if kind == "csv" else xlsx_response
    return respond(header, data, f"training-{training.id}-participants.{kind}")


@bp.route("/<int:training_id>/participants.csv")
@roles_required(*services.READERS)
def participants_csv(training_id):
    return _participant_export(training_id, "csv")


@bp.route("/<int:training_id>/participants.xlsx")
@roles_required(*services.READERS)
def participants_xlsx(training_id):
    return _participant_export(training_id, "xlsx")


@bp.route("/template.<kind>")
@roles_required(*services.EDITORS)
def template(kind):
    if kind not in ("csv", "xlsx"):
        abort(404)
    mimetype = (
        "text/csv"
        if kind == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return Response(
        upload.template(kind),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="participants-template.{kind}"'},
    )


@bp.route("/<int:training_id>/upload", methods=["POST"])
@roles_required(*services.EDITORS)
def upload_file(training_id):
    training = _training_or_404(training_id)
    if not services.can_edit_country(current_user, training.country):
        abort(403)
    form = UploadForm()
    if not form.validate_on_submit():
        flash("Choose a .xlsx or .csv file to upload.", "error")
        return redirect(url_for("training.detail", training_id=training.id))
    file = form.file.data
    with file.stream:  # large uploads are spooled to a temporary file; release it
        content = file.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
    try:
        rows = upload.parse(
            file.filename, content, current_app.config["UPLOAD_MAX_BYTES"], current_user
        )
    except ValidationFailed as exc:
        flash(" ".join(sum(exc.errors.values(), [])) or exc.message, "error")
        return redirect(url_for("training.detail", training_id=training.id))
    pending = ParticipantUpload(
        training_id=training.id,
        user_id=current_user.id,
        filename=file.filename[:255],
        content=content,
    )
    db.session.add(pending)
    db.session.commit()
    upload.mark_actions(training, rows)
    return render_template("training/preview.html", training=training, rows=rows, pending=pending)


def _pending_or_404(training, upload_id):
    pending = db.session.get(ParticipantUpload, upload_id)
    if pending is None or pending.training_id != training.id or pending.user_id != current_user.id:
        abort(404)
    return pending


@bp.route("/<int:training_id>/upload/<int:upload_id>/confirm", methods=["POST"])
@roles_required(*services.EDITORS)
def upload_confirm(training_id, upload_id):
    training = _training_or_404(training_id)
    pending = _pending_or_404(training, upload_id)
    rows = upload.parse(
        pending.filename, pending.content, current_app.config["UPLOAD_MAX_BYTES"], current_user
    )
    added, updated = upload.import_rows(current_user, training, rows)
    db.session.delete(pending)
    db.session.commit()
    skipped = sum(1 for row in rows if not row.ok)
    flash(
        f"{added} new participants imported, {updated} already in the training updated"
        f"{f'; {skipped} rows with errors were left out' if skipped else ''}.",
        "success",
    )
    return redirect(url_for("training.detail", training_id=training.id))


@bp.route("/<int:training_id>/upload/<int:upload_id>/cancel", methods=["POST"])
@roles_required(*services.EDITORS)
def upload_cancel(training_id, upload_id):
    training = _training_or_404(training_id)
    db.session.delete(_pending_or_404(training, upload_id))
    db.session.commit()
    flash("Nothing was imported. Fix the file and upload it again.", "info")
    return redirect(url_for("training.detail", training_id=training.id))


@bp.route("/participations/<int:participation_id>/certificate.pdf")
@roles_required(*services.READERS)
def certificate(participation_id):
    participation = visible_or_404(
        Participation, participation_id, services.can_view_participation, "participation"
    )
    # A certificate prints the person's name: only for those who may see it.
    if not services.can_see_names(current_user, participation.practitioner.country):
        abort(403)
    if not participation.completed:
        abort(404, description="A certificate is issued for a completed training only.")
    pdf = render_pdf(
        "certificate.html",
        participation=participation,
        training=participation.training,
        practitioner=participation.practitioner,
        topics=TOPICS,
        classification=current_app.config["CLASSIFICATION"],
    )
    audit.record(current_user, "export", "Participation", participation.id, {"certificate": True})
    db.session.commit()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{participation.id}.pdf"'
        },
    )


@bp.route("/practitioners")
@roles_required(*services.READERS)
def practitioners():
    page = paginate(
        services.practitioners_query(current_user, request.args),
        request.args.get("page", 1, type=int),
        50,
    )
    shown = sum(1 for p in page.items if services.can_see_names(current_user, p.country))
    _audit_names_read("Practitioner", None, shown)
    return render_template(
        "training/practitioners.html",
        page=page,
        filters=request.args,
        countries=country_choices(),
        roles=ROLE_TYPES,
        sexes=SEXES,
        person_of=person_shown,
        can_create=current_user.role in services.EDITORS,
        can_merge=current_user.role in services.MERGERS,
    )


def _practitioners_export(kind):
    stmt = services.practitioners_query(current_user, request.args)
    rows = db.session.scalars(stmt).all()
    people = [person_shown(p) for p in rows]
    data = [
        [person["name"], p.sex, p.country, person["agency"], p.role_type]
        for p, person in zip(rows, people, strict=True)
    ]
    named = sum(1 for person in people if person["name"] != services.RESTRICTED)
    audit.record(
        current_user,
        "export",
        "Practitioner",
        None,
        {"rows": len(data), "names_shown": named, "format": kind},
    )
    db.session.commit()
    respond = csv_response if kind == "csv" else xlsx_response
    return respond(["name", "sex", "country", "agency", "role"], data, f"practitioners.{kind}")


@bp.route("/practitioners.csv")
@roles_required(*services.READERS)
def practitioners_csv():
    return _practitioners_export("csv")


@bp.route("/practitioners.xlsx")
@roles_required(*services.READERS)
def practitioners_xlsx():
    return _practitioners_export("xlsx")


def _practitioner_form(form):
    form.country.choices = _countries_for_edit()
    agencies = db.session.scalars(
        db.select(Agency)
        .where(Agency.country_code.in_(list(form.country.choices)))
        .order_by(Agency.name)
    ).all()
    form.agency_id.choices = {
        "": "— not known —",
        **{str(a.id): f"{a.country_code} · {a.name}" for a in agencies},
    }
    return form


@bp.route("/practitioners/new", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def practitioner_new():
    form = _practitioner_form(PractitionerForm())
    if form.validate_on_submit():
        try:
            practitioner, duplicates = services.create_practitioner(current_user, form.data)
        except (ValidationFailed, Forbidden) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            if duplicates:
                flash(
                    f"Saved. Possible duplicate of {len(duplicates)} existing record(s) with the same name, country and agency: UNODC can merge them.",
                    "error",
                )
            else:
                flash("Practitioner saved.", "success")
            return redirect(
                url_for("training.practitioner_detail", practitioner_id=practitioner.id)
            )
    return render_template("training/practitioner_form.html", form=form, practitioner=None)


@bp.route("/practitioners/<int:practitioner_id>")
@roles_required(*services.READERS)
def practitioner_detail(practitioner_id):
    practitioner = _practitioner_or_404(practitioner_id)
    names = services.can_see_names(current_user, practitioner.country)
    _audit_names_read("Practitioner", practitioner.id, 1 if names else 0)
    rows = db.session.scalars(
        db.select(Participation).where(Participation.practitioner_id == practitioner.id)
    ).all()
    return render_template(
        "training/practitioner.html",
        practitioner=practitioner,
        person=person_shown(practitioner),
        rows=rows,
        threshold=settings.get("IMPROVEMENT_THRESHOLD"),
        sexes=SEXES,
        roles=ROLE_TYPES,
        can_edit=services.can_edit_country(current_user, practitioner.country),
    )


@bp.route("/practitioners/<int:practitioner_id>/edit", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def practitioner_edit(practitioner_id):
    practitioner = _practitioner_or_404(practitioner_id)
    if not services.can_edit_country(current_user, practitioner.country):
        abort(403)
    form = _practitioner_form(EditPractitionerForm(obj=practitioner))
    if request.method == "GET":
        form.agency_id.data = str(practitioner.agency_id or "")
        form.version.data = practitioner.version
    if form.validate_on_submit():
        try:
            services.update_practitioner(
                current_user, practitioner, form.data, form.version.data, form.reason.data
            )
        except (ValidationFailed, Conflict, Forbidden) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Practitioner saved.", "success")
            return redirect(
                url_for("training.practitioner_detail", practitioner_id=practitioner.id)
            )
    return render_template("training/practitioner_form.html", form=form, practitioner=practitioner)


@bp.route("/practitioners/duplicates")
@roles_required(*services.MERGERS)
def duplicates():
    groups = services.duplicate_groups(current_user)
    _audit_names_read("Practitioner", None, sum(len(g) for g in groups))
    return render_template("training/duplicates.html", groups=groups, form=MergeForm())


@bp.route("/practitioners/merge", methods=["POST"])
@roles_required(*services.MERGERS)
def merge():
    form = MergeForm()
    if not form.validate_on_submit():
        flash("Choose the records and say why they are the same person.", "error")
        return redirect(url_for("training.duplicates"))
    keep = db.session.get(Practitioner, int(form.keep.data)) if form.keep.data.isdigit() else None
    drop = db.session.get(Practitioner, int(form.drop.data)) if form.drop.data.isdigit() else None
    if keep is None or drop is None:
        abort(404)
    try:
        services.merge(current_user, keep, drop, form.reason.data)
    except ValidationFailed as exc:
        flash(exc.message + " " + " ".join(sum(exc.errors.values(), [])), "error")
        return redirect(url_for("training.duplicates"))
    db.session.commit()
    flash("Records merged; every participation is kept on the remaining record.", "success")
    return redirect(url_for("training.practitioner_detail", practitioner_id=keep.id))
