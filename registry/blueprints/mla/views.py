"""Pages of the mla domain."""

from flask import Blueprint

bp = Blueprint("mla", __name__, url_prefix="/mla")
