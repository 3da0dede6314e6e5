"""Liveness and readiness of the database and the job queue."""

import sqlalchemy as sa
from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from registry.core.jobs import redis_status
from registry.core.permissions import public
from registry.extensions import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        database = "down"
    body = {"database": database, "redis": redis_status()}
    healthy = database == "ok" and body["redis"] != "down"
    return jsonify(body), 200 if healthy else 503
