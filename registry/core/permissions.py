"""Role gates for views and the one helper that scopes queries to a user's countries."""

from functools import wraps

from flask import abort
from flask_login import current_user

from registry.core.roles import REGIONAL_ROLES, ROLES
from registry.extensions import login_manager


def refusal(roles):
    """At request time: the answer for a caller who may not pass (sign in first, or 403), or
    None to let the signed-in caller through."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in roles:
        abort(403)
    return None


def roles_required(*roles):
    """Let only signed-in users with one of these roles reach the view."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            answer = refusal(roles)
            return view(*args, **kwargs) if answer is None else answer

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def signed_in(view):
    """Let any signed-in user reach the view."""
    return roles_required(*ROLES)(view)


def public(view):
    """Mark a view as reachable without signing in (checked by the route-permission test)."""
    view.public = True
    return view


def country_scope(user):
    """Return the set of countries whose records the user may see, or None for all."""
    if user.role in REGIONAL_ROLES or user.country_code is None:
        return None
    return frozenset({user.country_code})


def scoped(stmt, user, model):
    """Restrict a select to the user's countries through the model's in_countries() rule."""
    countries = country_scope(user)
    if countries is None:
        return stmt
    return stmt.where(model.in_countries(countries))


def visible_or_404(model, record_id, can_view, what="record"):
    """Load a record the signed-in user may see; anything else is 404 (never say it exists)."""
    from registry.extensions import db

    record = db.session.get(model, record_id)
    if record is None or not can_view(current_user, record):
        abort(404, description=f"No such {what}.")
    return record
