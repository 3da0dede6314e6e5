"""Pages of the meetings domain."""

from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
