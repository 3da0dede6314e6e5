"""Sign-in (password, then the second factor), sign-out, password change and reset, and
personal API tokens."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from registry.blueprints.auth import reset, services, sessions
from registry.blueprints.auth import second_factor as two_factor
from registry.blueprints.auth.forms import (
    CodeForm,
    ForgotForm,
    LoginForm,
    PasswordForm,
    ReminderMailForm,
    ResetForm,
    TokenForm,
)
from registry.blueprints.auth.models import ApiToken
from registry.core.errors import ValidationFailed, json_error
from registry.core.forms import apply_errors
from registry.core.permissions import public, signed_in
from registry.extensions import db, limiter, login_manager

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
    row = sessions.find(session.get("sid"))
    if row is None or row.user_id != int(ident):
        return None
    user = row.user
    if not user.active or user.session_token != session_token:
        return None
    g.user_session = row
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


# What a session that has given its password but not yet its second factor may open.
HALF_SIGNED_IN_OPEN = ("auth.second_factor", "auth.logout", "static", "health.healthz")


def half_signed_in():
    row = g.get("user_session")
    return row is not None and row.verified_at is None


@bp.app_context_processor
def _sign_in_state():
    return {"half_signed_in": half_signed_in}


@bp.before_app_request
def _gate():
    """Until the second factor is given, every page but a few sends to /auth/2fa; then a
    temporary password must be changed before going on."""
    if request.blueprint == "api" or not current_user.is_authenticated:
        return None
    if half_signed_in():
        if request.endpoint in HALF_SIGNED_IN_OPEN:
            return None
        return redirect(url_for("auth.second_factor"))
    if current_user.must_change_password and request.endpoint not in (
        "auth.password",
        "auth.logout",
        "static",
    ):
        return redirect(url_for("auth.password"))
    return None


def _sign_in_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


# One budget per remote address for every step of signing in (password, code, reset).
throttled = limiter.shared_limit(_sign_in_limit, scope="sign-in", methods=["POST"])


def _safe_next(target):
    """Only a path on this site, so the sign-in page cannot bounce a user to another one.
    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so the target
    is cleaned the same way before it is judged."""
    cleaned = "".join(ch for ch in (target or "") if ch >= " " and ch != "\x7f")
    cleaned = cleaned.replace("\\", "/").strip()
    parts = urlsplit(cleaned)
    if (
        cleaned.startswith("/")
        and not cleaned.startswith("//")
        and not parts.scheme
        and not parts.netloc
    ):
        return cleaned
    return url_for("dashboard.home")


@bp.route("/login", methods=["GET", "POST"])
@public
@throttled
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.LoginRefused as refused:
            db.session.commit()  # keep the failed-attempt count and its audit event
            error = str(refused)
        else:
            return _start_session(user, _safe_next(request.args.get("next")))
    return render_template(
        "auth/login.html", form=form, error=error, second_factor_off=not two_factor.required_roles()
    ), 401 if error else 200


def _start_session(user, target):
    needs_code = two_factor.asks_for_code(user)
    session.clear()  # a new session for a new sign-in: nothing carried over from before
    sid = sessions.start(user, verified=not needs_code)
    if not needs_code:
        services.signed_in(user)
    db.session.commit()
    session["sid"] = sid
    login_user(user)
    if needs_code:
        session["after_2fa"] = target
        return redirect(url_for("auth.second_factor"))
    if user.must_change_password:
        flash("Please choose a new password before going on.", "info")
        return redirect(url_for("auth.password"))
    return redirect(target)


@bp.route("/2fa", methods=["GET", "POST"])
@signed_in
@throttled
def second_factor():
    """Enrol an authenticator app, or give its code after the password."""
    user = current_user._get_current_object()
    row = g.user_session
    if user.has_second_factor and row.verified_at is not None:
        flash("Your second factor is on.", "info")
        return redirect(url_for("auth.account"))
    form = CodeForm()
    if form.validate_on_submit():
        if user.has_second_factor:
            return _check_code(user, row, form)
        codes = two_factor.confirm_enrolment(user, form.code.data)
        if codes is not None:
            first = row.verified_at is None
            sessions.end_others(user, keep=row)
            sessions.verify(row)
            if first:
                services.signed_in(user, "totp")
            db.session.commit()
            login_user(user)  # the session token rotated with the other sessions' end
            return render_template(
                "auth/recovery_codes.html", codes=codes, target=session.pop("after_2fa", None)
            )
        form.code.errors.append("That code is not right. Enter the 6 digits your app shows now.")
    return _second_factor_page(user, form)


def _check_code(user, row, form):
    method = two_factor.check_code(user, form.code.data) if not services.is_locked(user) else None
    if method is not None:
        sessions.verify(row)
        services.signed_in(user, method)
        db.session.commit()
        return redirect(session.pop("after_2fa", None) or url_for("dashboard.home"))
    services.register_failure(user, step="2fa")
    if services.is_locked(user):
        sessions.revoke(row)
        db.session.commit()
        logout_user()
        session.clear()
        flash(services.REFUSED, "error")
        return redirect(url_for("auth.login"))
    db.session.commit()
    form.code.errors.append(
        "That code is wrong or was already used. Enter the code your app shows now."
    )
    return _second_factor_page(user, form)


def _second_factor_page(user, form):
    enrol = None
    if not user.has_second_factor:
        form.code.label.text = "Code from your authenticator app"
        secret = two_factor.pending_secret(user)
        db.session.commit()
        enrol = {
            "secret": secret,
            "qr": two_factor.qr_svg(two_factor.provisioning_uri(user, secret)),
        }
    code = 422 if form.errors else 200
    return render_template("auth/second_factor.html", form=form, enrol=enrol), code


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    row = g.get("user_session")
    if row is not None:
        sessions.revoke(row)
    services.signed_out(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot", methods=["GET", "POST"])
@public
@throttled
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        reset.request_by_mail(form.email.data)
        db.session.commit()
        flash(
            "If an account exists for this email, a link to reset its password is on its way. "
            f"It works once, for {current_app.config['PASSWORD_RESET_MINUTES']} minutes.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
@throttled
def reset_password(token):
    row = reset.usable(token)
    if row is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        try:
            reset.use(row, form.new_password.data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash("Your password is changed. Sign in with it.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 422 if form.errors else 200


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                current_user,
                form.current_password.data,
                form.new_password.data,
                keep_session=g.user_session,
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
