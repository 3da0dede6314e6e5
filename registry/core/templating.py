"""Template helpers: navigation by role and display filters."""

from flask import request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from registry.core.columns import utcnow
from registry.core.labels import label
from registry.core.roles import ADMIN, AUDITOR, FOCAL_POINT, OFFICIAL, ROLES, UNODC
from registry.extensions import db

# (label, endpoint, roles that see the link)
NAV = [
    ("Home", "dashboard.home", ROLES),
    ("MLA requests", "mla.index", (ADMIN, FOCAL_POINT, UNODC, AUDITOR)),
    ("JITs", "jits.index", (ADMIN, FOCAL_POINT, UNODC, AUDITOR)),
    ("Meetings", "meetings.index", (ADMIN, FOCAL_POINT, UNODC, AUDITOR)),
    ("Trainings", "training.index", (ADMIN, FOCAL_POINT, UNODC, AUDITOR)),
    ("Prosecutions", "prosecutions.index", (ADMIN, FOCAL_POINT, UNODC, AUDITOR)),
    ("Work plan", "workplan.index", ROLES),
    ("Indicators", "indicators.index", ROLES),
    ("Briefs", "briefs.index", (ADMIN, UNODC, OFFICIAL, FOCAL_POINT)),
    ("Import", "imports.index", (ADMIN, UNODC, FOCAL_POINT)),
    ("Central authorities", "directory.index", ROLES),
    ("Agencies", "reference.agencies", ROLES),
    ("Countries", "reference.countries", ROLES),
    ("Legal bases", "reference.legal_bases", (ADMIN, UNODC, FOCAL_POINT, AUDITOR)),
    ("Users", "admin.users", (ADMIN,)),
    ("Settings", "admin.settings_page", (ADMIN,)),
    ("Audit log", "admin.audit_log", (ADMIN, AUDITOR)),
    ("API", "api_docs", ROLES),
]


def nav_items():
    if not current_user.is_authenticated:
        return []
    return [
        (label, url_for(endpoint), request.endpoint == endpoint)
        for label, endpoint, roles in NAV
        if current_user.role in roles
    ]


def page_url(page_number):
    """The current URL with another page number, keeping the filters."""
    args = request.args.to_dict()
    args["page"] = page_number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def format_datetime(value):
    return value.strftime("%Y-%m-%d %H:%M") + " UTC" if value else "—"


def labels(codes, names):
    """Show codes by their labels, comma-separated."""
    return ", ".join(names.get(code, code) for code in codes)


def init_app(app):
    app.jinja_env.globals.update(nav_items=nav_items, page_url=page_url)
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["labels"] = labels
    app.jinja_env.filters["label"] = lambda code, kind: label(kind, code)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals():
        return {
            "classification": app.config["CLASSIFICATION"],
            "now_utc": utcnow(),
            "is_demo": _demo_flag(),
        }


def _demo_flag():
    from registry.core.settings import is_demo

    try:
        return is_demo()
    except SQLAlchemyError:
        # Error pages must render even when the database is the problem.
        db.session.rollback()
        return False
