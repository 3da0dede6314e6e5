"""Bulk import pages: templates, a dry run that saves nothing, then the real run."""

import io

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from openpyxl import Workbook
from wtforms import SelectField

from registry.blueprints.imports.registry import IMPORTERS
from registry.core import audit
from registry.core import importer as engine
from registry.core.errors import ValidationFailed
from registry.core.permissions import roles_required
from registry.core.roles import ADMIN, FOCAL_POINT, UNODC
from registry.core.spreadsheet import read_table
from registry.extensions import db

bp = Blueprint("imports", __name__, url_prefix="/imports")
IMPORTERS_ROLES = (ADMIN, UNODC, FOCAL_POINT)


class ImportForm(FlaskForm):
    file = FileField(
        "Spreadsheet (.xlsx or .csv, UTF-8)", validators=[FileRequired(message="Choose a file.")]
    )
    mode = SelectField(
        "What to do",
        choices={"dry_run": "Check only (dry run: nothing is saved)", "save": "Import"},
    )
    policy = SelectField(
        "If some rows have errors",
        choices={"valid_only": "Save the valid rows", "all_or_nothing": "Save nothing"},
    )


def _importer(kind):
    return IMPORTERS.get(kind) or abort(404)


@bp.route("/")
@roles_required(*IMPORTERS_ROLES)
def index():
    return render_template("imports/index.html", importers=IMPORTERS, form=ImportForm())


@bp.route("/<kind>/template.<any(csv, xlsx):ext>")
@roles_required(*IMPORTERS_ROLES)
def template(kind, ext):
    importer = _importer(kind)
    header = list(importer.columns)
    if ext == "csv":
        return Response(
            "\ufeff" + ",".join(header) + "\n",
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'},
        )
    book = Workbook()
    book.active.title = importer.label[:31]
    book.active.append(header)
    notes = book.create_sheet("Columns")
    for name, help_text in importer.columns.items():
        notes.append([name, "required" if name in importer.required else "optional", help_text])
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.xlsx"'},
    )


@bp.route("/<kind>", methods=["POST"])
@roles_required(*IMPORTERS_ROLES)
def run(kind):
    importer = _importer(kind)
    form = ImportForm()
    if not form.validate_on_submit():
        flash("Choose a .xlsx or .csv file.", "error")
        return redirect(url_for("imports.index"))
    limit = current_app.config["IMPORT_MAX_BYTES"]
    with form.file.data.stream:
        content = form.file.data.read(limit + 1)
    save = form.mode.data == "save"
    try:
        table = read_table(form.file.data.filename, content, limit)
        report = engine.run(
            current_user,
            importer,
            table,
            save=save,
            all_or_nothing=form.policy.data == "all_or_nothing",
        )
    except ValidationFailed as exc:
        db.session.rollback()
        flash(" ".join(sum(exc.errors.values(), [])) or exc.message, "error")
        return redirect(url_for("imports.index"))
    audit.record(
        current_user,
        "import",
        importer.object_type,
        None,
        {
            "file": form.file.data.filename,
            "rows": len(report.rows),
            "saved": report.saved,
            "created": report.count("created"),
            "updated": report.count("updated"),
            "refused": len(report.refused),
        },
    )
    db.session.commit()
    return render_template(
        "imports/report.html", importer=importer, report=report, dry_run=not save
    )
