"""Sign-in, password and API token forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange

from registry.blueprints.auth.models import REMINDER_MAIL


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(message="Enter your email.")])
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password.")])


class CodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code",
        validators=[DataRequired(message="Enter the code."), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True},
    )


class ForgotForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired(message="Enter your email."), Length(max=254)]
    )


class ResetForm(FlaskForm):
    new_password = PasswordField(
        "New password", validators=[DataRequired(message="Enter a new password.")]
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The two entries differ.")],
    )


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired()])
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The two entries differ.")],
    )


class TokenForm(FlaskForm):
    name = StringField(
        "Token name", validators=[DataRequired(message="Name the token."), Length(max=100)]
    )
    days = IntegerField(
        "Valid for (days)",
        default=90,
        validators=[DataRequired(), NumberRange(min=1, max=366, message="Between 1 and 366.")],
    )


class ReminderMailForm(FlaskForm):
    reminder_mail = RadioField(
        "Reminders by mail",
        choices=REMINDER_MAIL,
        validators=[DataRequired(message="Choose one of the options.")],
    )
