"""Account administration and settings forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from registry.core.roles import ROLE_LABELS


class UserCreateForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(message="Enter an email.")])
    name = StringField("Full name", validators=[Length(max=200)])
    # No role is preselected: a new account gets the one the administrator chooses.
    role = SelectField(
        "Role",
        choices={"": "— choose a role —", **ROLE_LABELS},
        validators=[DataRequired(message="Choose the account's role.")],
    )
    country = SelectField("Country (focal points: required; officials: optional)")
    password = PasswordField("Temporary password", validators=[DataRequired()])


class UserEditForm(FlaskForm):
    name = StringField("Full name", validators=[Length(max=200)])
    role = SelectField("Role", choices=ROLE_LABELS)
    country = SelectField("Country (focal points: required; officials: optional)")


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New temporary password", validators=[DataRequired()])
    reason = StringField("Reason", validators=[DataRequired(message="Say why."), Length(max=500)])


class ReasonForm(FlaskForm):
    """An account action that only needs a reason for the audit log."""

    reason = StringField("Reason", validators=[DataRequired(message="Say why."), Length(max=500)])


class ActiveForm(FlaskForm):
    reason = StringField("Reason", validators=[DataRequired(message="Say why."), Length(max=500)])


class SettingsForm(FlaskForm):
    MLA_OVERDUE_DAYS = IntegerField(
        "MLA request overdue after (days)", validators=[DataRequired(), NumberRange(1, 3650)]
    )
    IMPROVEMENT_THRESHOLD = IntegerField(
        "Improvement threshold (post-test minus pre-test, points)",
        validators=[DataRequired(), NumberRange(1, 100)],
    )
    MLA_ACK_REMINDER_DAYS = IntegerField(
        "Remind of an MLA request not acknowledged after (days)",
        validators=[DataRequired(), NumberRange(1, 365)],
    )
    MLA_URGENT_OVERDUE_DAYS = IntegerField(
        "Remind of an urgent MLA request unanswered after (days)",
        validators=[DataRequired(), NumberRange(1, 3650)],
    )
    JIT_END_REMINDER_DAYS = IntegerField(
        "Remind of a JIT's planned end (days before)",
        validators=[DataRequired(), NumberRange(1, 365)],
    )
    COUNTRY_UPDATE_REMINDER_DAYS = IntegerField(
        "Remind countries of their meeting update (days before the meeting)",
        validators=[DataRequired(), NumberRange(1, 365)],
    )
    ACTION_ITEM_REMINDER_DAYS = IntegerField(
        "Remind of an action item's due date (days before)",
        validators=[DataRequired(), NumberRange(1, 365)],
    )
    POST_TEST_REMINDER_DAYS = IntegerField(
        "Remind of missing post-tests (days after a training ends)",
        validators=[DataRequired(), NumberRange(1, 365)],
    )
    reason = StringField("Reason", validators=[DataRequired(message="Say why."), Length(max=500)])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = StringField("Actor email", validators=[Optional()])
    object_type = StringField("Object type", validators=[Optional()])
    object_id = StringField("Object id", validators=[Optional()])
    action = SelectField("Action", validators=[Optional()])
