"""Home dashboards by role, and the corridor view between two countries."""

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from registry.blueprints.dashboard import figures
from registry.blueprints.reference.services import countries, country_choices
from registry.core.charts import Series, make_chart
from registry.core.permissions import country_scope, public, roles_required, signed_in
from registry.core.roles import ADMIN, AUDITOR, FOCAL_POINT, UNODC

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _trend_chart(trend, title):
    return make_chart(
        "stacked_bar",
        title,
        trend["years"],
        [Series("THB", trend["thb"]), Series("SOM", trend["som"])],
        y_title="Cases",
    )


@bp.route("/")
@signed_in
def home():
    today = date.today()
    scope = country_scope(current_user)
    visible = [c for c in countries() if scope is None or c.iso3 in scope]
    context = {"visible_countries": visible, "regional": scope is None, "today": today}
    if current_user.role == FOCAL_POINT:
        data = figures.snapshot(current_user, current_user.country_code, today)
        context |= {
            "snapshot": data,
            "trend_chart": _trend_chart(data["trend"], "Cases prosecuted per year"),
        }
    else:
        codes = [c.iso3 for c in visible if c.asean_member]
        table = figures.regional(current_user, codes, today)
        trend = figures.prosecution_trend(current_user, codes, today)
        names = {c.iso3: c.name for c in visible}
        context |= {
            "table": table,
            "names": names,
            "trend_chart": _trend_chart(trend, "Cases prosecuted per year, all countries in scope"),
            "pending_chart": make_chart(
                "bar",
                "Pending MLA requests by country",
                [names[c] for c in table],
                [
                    Series("Pending", [r["pending"] for r in table.values()]),
                    Series("Overdue", [r["overdue"] for r in table.values()]),
                ],
                y_title="Requests",
            ),
        }
    return render_template("dashboard/home.html", **context)


@bp.route("/corridor")
@roles_required(ADMIN, FOCAL_POINT, UNODC, AUDITOR)
def corridor():
    names = country_choices()
    a, b = request.args.get("a", "KHM"), request.args.get("b", "THA")
    if a not in names or b not in names or a == b:
        abort(400, description="Choose two different countries.")
    if current_user.role == FOCAL_POINT and current_user.country_code not in (a, b):
        abort(404)
    data = figures.corridor(current_user, a, b, date.today())
    return render_template("dashboard/corridor.html", a=a, b=b, names=names, data=data)


@public
def root():
    """Send visitors to their home page (or, signed out, to sign in)."""
    return redirect(url_for("dashboard.home"))


bp.record_once(lambda state: state.app.add_url_rule("/", "root", root))
