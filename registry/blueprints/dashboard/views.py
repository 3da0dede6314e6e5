"""The signed-in home page: who you are and what you may see."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from registry.blueprints.reference.services import countries
from registry.core.permissions import country_scope, public, signed_in

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


@bp.route("/")
@signed_in
def home():
    scope = country_scope(current_user)
    visible = [c for c in countries() if scope is None or c.iso3 in scope]
    return render_template("dashboard/home.html", visible_countries=visible, regional=scope is None)


@public
def root():
    """Send visitors to their home page (or, signed out, to sign in)."""
    return redirect(url_for("dashboard.home"))


bp.record_once(lambda state: state.app.add_url_rule("/", "root", root))
