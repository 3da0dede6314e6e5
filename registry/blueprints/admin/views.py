"""Administration pages: accounts, settings and the audit log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.blueprints.admin import services
from registry.blueprints.admin.forms import (
    ActiveForm,
    AuditFilterForm,
    ReasonForm,
    ResetPasswordForm,
    SettingsForm,
    UserCreateForm,
    UserEditForm,
)
from registry.blueprints.auth import reset, second_factor
from registry.blueprints.auth import services as accounts
from registry.blueprints.auth.models import User
from registry.blueprints.reference.services import country_choices
from registry.core import mail, params, settings
from registry.core.audit_chain import last_check
from registry.core.errors import DomainError
from registry.core.forms import apply_errors
from registry.core.pagination import paginate
from registry.core.permissions import roles_required
from registry.core.roles import ADMIN, AUDITOR, ROLE_LABELS
from registry.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _with_countries(form):
    form.country.choices = {"": "— none (regional) —", **country_choices()}
    return form


def _user_or_404(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users")
@roles_required(ADMIN)
def users():
    active = {"yes": True, "no": False}.get(request.args.get("active", ""))
    filters = {k: request.args.get(k) or None for k in ("country", "q")}
    filters["role"] = params.code(request.args, "role", ROLE_LABELS)
    page = paginate(
        services.users_query(active=active, **filters), request.args.get("page", 1, type=int), 25
    )
    return render_template(
        "admin/users.html",
        page=page,
        roles=ROLE_LABELS,
        country_choices=country_choices(),
        filters={**filters, "active": request.args.get("active", "")},
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def user_new():
    form = _with_countries(UserCreateForm())
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                current_user,
                email=form.email.data,
                password=form.password.data,
                role=form.role.data,
                country_code=form.country.data,
                name=form.name.data,
                must_change_password=True,
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Account {user.email} created; they must change the password.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def user_edit(user_id):
    user = _user_or_404(user_id)
    form = _with_countries(UserEditForm(obj=user))
    if request.method == "GET":
        form.country.data = user.country_code or ""
    if form.validate_on_submit():
        try:
            accounts.update_user(
                current_user,
                user,
                role=form.role.data,
                country_code=form.country.data,
                name=form.name.data,
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash(f"Account {user.email} saved.", "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return _user_page(user, form)


def _user_page(user, form=None, reset_link=None):
    return render_template(
        "admin/user_edit.html",
        user=user,
        form=form or _with_countries(UserEditForm(obj=user, country=user.country_code or "")),
        reset_form=ResetPasswordForm(prefix="reset"),
        active_form=ActiveForm(prefix="active"),
        factor_form=ReasonForm(prefix="factor"),
        link_form=ReasonForm(prefix="link"),
        reset_link=reset_link,
        tokens=accounts.tokens_of(user),
    )


@bp.route("/users/<int:user_id>/reset-2fa", methods=["POST"])
@roles_required(ADMIN)
def user_reset_2fa(user_id):
    """Turn a user's second factor off (a lost phone); they enrol again at next sign-in."""
    user = _user_or_404(user_id)
    form = ReasonForm(prefix="factor")
    if not form.validate_on_submit():
        flash("Give a reason for resetting the second factor.", "error")
        return _user_page(user), 422
    second_factor.reset(current_user, user, form.reason.data)
    db.session.commit()
    flash(
        f"Second factor of {user.email} reset; they are signed out and set it up again.", "success"
    )
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
@roles_required(ADMIN)
def user_reset_link(user_id):
    """A single-use password reset link to hand to the user, shown once."""
    user = _user_or_404(user_id)
    form = ReasonForm(prefix="link")
    if not form.validate_on_submit():
        flash("Give a reason for issuing a reset link.", "error")
        return _user_page(user), 422
    token = reset.issue_by_admin(current_user, user, form.reason.data)
    db.session.commit()
    link = mail.external_url("auth.reset_password", token=token) or url_for(
        "auth.reset_password", token=token, _external=True
    )
    return _user_page(user, reset_link=link)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required(ADMIN)
def user_active(user_id):
    user = _user_or_404(user_id)
    form = ActiveForm(prefix="active")
    activate = request.form.get("activate") == "1"
    if not form.validate_on_submit():
        flash("Give a reason for this change.", "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    try:
        accounts.set_active(current_user, user, activate, form.reason.data)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(f"{user.email} {'activated' if activate else 'deactivated'}.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@roles_required(ADMIN)
def user_reset_password(user_id):
    user = _user_or_404(user_id)
    form = ResetPasswordForm(prefix="reset")
    if form.validate_on_submit():
        try:
            accounts.reset_password(current_user, user, form.password.data, form.reason.data)
        except DomainError as exc:
            flash(exc.message + " " + " ".join(sum(exc.errors.values(), [])), "error")
        else:
            db.session.commit()
            flash(f"Password of {user.email} reset; they must change it at sign-in.", "success")
    else:
        flash("Enter a temporary password and a reason.", "error")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(ADMIN)
def settings_page():
    form = SettingsForm(data=settings.current_values())
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in settings.ADJUSTABLE}
        try:
            services.save_settings(current_user, values, form.reason.data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Settings saved.", "success")
            return redirect(url_for("admin.settings_page"))
    return render_template("admin/settings.html", form=form)


@bp.route("/audit")
@roles_required(ADMIN, AUDITOR)
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = {"": "any", **{a: a for a in services.AUDIT_ACTIONS}}
    params.code(request.args, "action", services.AUDIT_ACTIONS)
    since = params.day(request.args, "since")
    until = params.day(request.args, "until")
    stmt = services.audit_query(
        actor=form.actor.data,
        object_type=form.object_type.data,
        object_id=form.object_id.data,
        action=form.action.data or None,
        since=since,
        until=until,
    )
    page = paginate(stmt, request.args.get("page", 1, type=int), 50)
    return render_template(
        "admin/audit.html",
        page=page,
        last_check=last_check(),
        form=form,
        object_types=services.object_types(),
        since=since,
        until=until,
    )
