"""Pages of the prosecutions domain."""

from flask import Blueprint

bp = Blueprint("prosecutions", __name__, url_prefix="/prosecutions")
