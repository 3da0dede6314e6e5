"""Pages of the jits domain."""

from flask import Blueprint

bp = Blueprint("jits", __name__, url_prefix="/jits")
