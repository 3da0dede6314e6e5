"""Sign-in, password and API token forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(message="Enter your email.")])
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password.")])


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
