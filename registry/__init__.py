"""Cooperation Registry: build the Flask application."""

from flask import Flask


def create_app(test_config=None):
    """Build and configure the application; nothing connects before a request needs it."""
    from registry import cli, config
    from registry.core import (
        database,
        errors,
        headers,
        input_guard,
        jobs,
        limits,  # noqa: F401  (its flush hook refuses over-long texts)
        templating,
    )
    from registry.extensions import csrf, db, limiter, login_manager, migrate

    app = Flask(__name__, instance_relative_config=True)
    config.load(app, test_config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        database.ensure_sqlite_folder(app.config["SQLALCHEMY_DATABASE_URI"])

    import registry.models  # noqa: F401  (every table registered before migrations run)

    db.init_app(app)
    database.configure_engines(app)
    migrate.init_app(app, db, directory=_migrations_dir(), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    jobs.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    input_guard.init_app(app)  # before the blueprints: their <int:> routes use its converter
    _register_blueprints(app)
    cli.init_app(app)
    return app


def _register_blueprints(app):
    from registry.blueprints.admin.views import bp as admin_bp
    from registry.blueprints.api.setup import register as register_api
    from registry.blueprints.auth.views import bp as auth_bp
    from registry.blueprints.briefs.views import bp as briefs_bp
    from registry.blueprints.dashboard.views import bp as dashboard_bp
    from registry.blueprints.directory.views import bp as directory_bp
    from registry.blueprints.health.views import bp as health_bp
    from registry.blueprints.imports.views import bp as imports_bp
    from registry.blueprints.indicators.views import bp as indicators_bp
    from registry.blueprints.jits.views import bp as jits_bp
    from registry.blueprints.meetings.views import bp as meetings_bp
    from registry.blueprints.mla.views import bp as mla_bp
    from registry.blueprints.notifications.views import bp as notifications_bp
    from registry.blueprints.prosecutions.views import bp as prosecutions_bp
    from registry.blueprints.reference.views import bp as reference_bp
    from registry.blueprints.training.views import bp as training_bp
    from registry.blueprints.workplan.views import bp as workplan_bp

    blueprints = (
        *(auth_bp, dashboard_bp, reference_bp),
        *(mla_bp, jits_bp, meetings_bp, training_bp, prosecutions_bp),
        *(indicators_bp, briefs_bp, imports_bp, admin_bp),
        directory_bp,
        notifications_bp,
        workplan_bp,
    )
    for bp in (*blueprints, health_bp):
        app.register_blueprint(bp)
    register_api(app)


def _migrations_dir():
    import os

    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")
