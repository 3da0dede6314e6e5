"""Pages for the logframe indicators: values for a period, baselines and targets, xlsx export."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, Optional

from registry.blueprints.indicators import services
from registry.blueprints.indicators.models import Indicator
from registry.blueprints.reference.services import country_choices
from registry.core import audit, params
from registry.core.charts import Series, make_chart
from registry.core.errors import Conflict, ValidationFailed
from registry.core.export import xlsx_response
from registry.core.forms import VersionField, apply_errors
from registry.core.permissions import roles_required, signed_in
from registry.extensions import db

bp = Blueprint("indicators", __name__, url_prefix="/indicators")


class TargetForm(FlaskForm):
    class Meta:
        csrf = False

    year = IntegerField("Year", validators=[Optional()])
    value = IntegerField("Value", validators=[Optional()])


class IndicatorForm(FlaskForm):
    baseline_value = IntegerField(
        "Baseline value (empty: to be defined at inception)", validators=[Optional()]
    )
    baseline_year = IntegerField("Baseline year", validators=[Optional()])
    targets = FieldList(FormField(TargetForm), min_entries=4, max_entries=4)
    version = VersionField()
    reason = StringField(
        "Reason for this change", validators=[DataRequired(message="Say why."), Length(max=500)]
    )


def _period():
    try:
        return services.period_of(request.args)
    except ValidationFailed as exc:
        flash(" ".join(sum(exc.errors.values(), [])), "error")
        return services.period_of({})


@bp.route("/")
@signed_in
def index():
    start, end = _period()
    country = request.args.get("country") or None
    rows = [
        (i, services.values(current_user, i.code, start, end, country))
        for i in services.indicators()
    ]
    return render_template(
        "indicators/index.html",
        rows=rows,
        start=start,
        end=end,
        country=country,
        countries=country_choices(asean_only=True),
        progress=services.progress,
        can_edit=current_user.role in services.EDITORS,
    )


@bp.route("/<code>")
@signed_in
def detail(code):
    indicator = db.session.get(Indicator, code) or abort(404)
    start, end = _period()
    country = request.args.get("country") or None
    result = services.values(current_user, code, start, end, country)
    names = country_choices()
    by_country = {}
    for row in result["rows"]:
        by_country[row["country"]] = by_country.get(row["country"], 0) + row["value"]
    chart = make_chart(
        "bar",
        f"{indicator.code}: {indicator.unit} by country",
        [names.get(c, c) for c in by_country],
        [Series(indicator.unit.capitalize(), list(by_country.values()))],
        y_title=indicator.unit,
    )
    return render_template(
        "indicators/detail.html",
        indicator=indicator,
        result=result,
        start=start,
        end=end,
        country=country,
        names=names,
        chart=chart,
        can_edit=current_user.role in services.EDITORS,
    )


@bp.route("/<code>/edit", methods=["GET", "POST"])
@roles_required(*services.EDITORS)
def edit(code):
    indicator = db.session.get(Indicator, code) or abort(404)
    form = IndicatorForm()
    if request.method == "GET":
        form.baseline_value.data, form.baseline_year.data = (
            indicator.baseline_value,
            indicator.baseline_year,
        )
        for entry, target in zip(form.targets.entries, indicator.targets, strict=False):
            entry.form.year.data, entry.form.value.data = target.year, target.value
        form.version.data = indicator.version
    if form.validate_on_submit():
        data = {
            "baseline_value": form.baseline_value.data,
            "baseline_year": form.baseline_year.data,
            "targets": [(e.form.year.data, e.form.value.data) for e in form.targets.entries],
        }
        try:
            services.update(current_user, indicator, data, form.version.data, form.reason.data)
        except (ValidationFailed, Conflict) as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Indicator {code} saved.", "success")
            return redirect(url_for("indicators.detail", code=code))
    return render_template("indicators/edit.html", indicator=indicator, form=form)


@bp.route("/logframe.xlsx")
@signed_in
def logframe():
    """The results chain with baselines, targets and values per country and year."""
    years = range(
        params.year(request.args, "from_year", 2022),
        params.year(request.args, "to_year", 2026) + 1,
    )
    if len(years) > 15 or len(years) < 1:
        abort(400, description="Choose at most 15 years.")
    header = [
        "result",
        "code",
        "indicator",
        "unit",
        "disaggregation",
        "source",
        "baseline",
        "baseline year",
        "targets",
        "year",
        "country",
        "sex",
        "value",
    ]
    rows = []
    for indicator in services.indicators():
        targets = (
            "; ".join(f"{t.year}: {t.value}" for t in indicator.targets)
            or "to be defined at inception"
        )
        common = [
            indicator.result,
            indicator.code,
            indicator.text,
            indicator.unit,
            indicator.disaggregation,
            indicator.source,
            indicator.baseline_value
            if indicator.baseline_value is not None
            else "to be defined at inception",
            indicator.baseline_year,
            targets,
        ]
        for year in years:
            result = services.values(
                current_user, indicator.code, date(year, 1, 1), date(year, 12, 31)
            )
            for row in result["rows"]:
                rows.append([*common, year, row["country"], row.get("sex") or "", row["value"]])
            rows.append([*common, year, "TOTAL", "", result["total"]])
    audit.record(
        current_user,
        "export",
        "Indicator",
        None,
        {"rows": len(rows), "years": [years[0], years[-1]]},
    )
    db.session.commit()
    return xlsx_response(header, rows, "logframe.xlsx", sheet="Logframe")
