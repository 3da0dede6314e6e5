"""Sign-in, sign-out, password change and personal API tokens."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from registry.blueprints.auth import services
from registry.blueprints.auth.forms import LoginForm, PasswordForm, ReminderMailForm, TokenForm
from registry.blueprints.auth.models import ApiToken, User
from registry.core.errors import ValidationFailed, json_error
from registry.core.forms import apply_errors
from registry.core.permissions import public, signed_in
from registry.extensions import db, login_manager

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.record_once
def _configure_login(_state):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_session_user(user_id):
    # The API is reached with tokens only, so a browser session cannot drive it without CSRF.
    if request.blueprint == "api":
        return None
    ident, _, session_token = user_id.partition(":")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or user.session_token != session_token:
        return None
    return user


@login_manager.request_loader
def _load_token_user(req):
    if req.blueprint != "api":
        return None
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return services.user_for_token(token.strip())


@login_manager.unauthorized_handler
def _unauthorized():
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return json_error(401, "Authentication required: send Authorization: Bearer <token>.")
    flash(login_manager.login_message, "info")
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=target))


@bp.before_app_request
def _require_new_password():
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in ("auth.password", "auth.logout", "static")
        and request.blueprint != "api"
    ):
        return redirect(url_for("auth.password"))
    return None


def _safe_next(target):
    # Only local paths, so the sign-in page cannot bounce a user to another site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.LoginRefused as refused:
            db.session.commit()  # keep the failed-attempt count
            error = str(refused)
        else:
            db.session.commit()
            login_user(user)
            if user.must_change_password:
                flash("Please choose a new password before going on.", "info")
                return redirect(url_for("auth.password"))
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error), 401 if error else 200


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, current_user, form.current_password.data, form.new_password.data
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            # The session token rotated; sign this session in again with the new one.
            login_user(current_user._get_current_object())
            flash("Your password is changed. Other sessions were signed out.", "success")
            return redirect(url_for("dashboard.home"))
    return render_template("auth/password.html", form=form)


@bp.route("/tokens", methods=["GET", "POST"])
@signed_in
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            _token, new_token = services.create_token(
                current_user, current_user, form.name.data, form.days.data
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
    return render_template(
        "auth/tokens.html", form=form, tokens=services.tokens_of(current_user), new_token=new_token
    )


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@signed_in
def revoke_token(token_id):
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == current_user.id)
    )
    if token is None:
        return render_template("errors/404.html"), 404
    services.revoke_token(current_user, token)
    db.session.commit()
    flash(f"Token {token.prefix}… revoked.", "success")
    return redirect(url_for("auth.tokens"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    """Who you are, how reminders reach you by mail, and your calendar address."""
    form = ReminderMailForm(reminder_mail=current_user.reminder_mail)
    if form.validate_on_submit():
        services.set_reminder_mail(current_user, current_user, form.reminder_mail.data)
        db.session.commit()
        flash("Your choice of reminders by mail is saved.", "success")
        return redirect(url_for("auth.account"))
    return _account_page(form, code=422 if form.errors else 200)


def _account_page(form=None, new_feed=None, code=200):
    return render_template(
        "auth/account.html",
        form=form or ReminderMailForm(reminder_mail=current_user.reminder_mail),
        feed=services.feed_of(current_user),
        new_feed=new_feed,
    ), code


@bp.route("/account/calendar", methods=["POST"])
@signed_in
def calendar_create():
    """A new secret calendar address (the old one stops working), shown once."""
    token = services.create_feed(current_user, current_user)
    db.session.commit()
    return _account_page(new_feed=url_for("notifications.feed", token=token, _external=True))


@bp.route("/account/calendar/revoke", methods=["POST"])
@signed_in
def calendar_revoke():
    if services.revoke_feed(current_user, current_user):
        flash("Your calendar address no longer works.", "success")
    db.session.commit()
    return redirect(url_for("auth.account"))
