"""Forms for MLA requests and their status changes."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from registry.blueprints.mla.models import (
    ASSISTANCE_TYPES,
    CHANNELS,
    CRIME_TYPES,
    REFUSAL_GROUNDS,
    STATUS_LABELS,
    URGENCIES,
)
from registry.core.forms import MultiCheckboxField, ReasonMixin, VersionField


class RequestForm(FlaskForm):
    reference = StringField(
        "Reference",
        validators=[DataRequired(message="Enter the request's reference."), Length(max=60)],
    )
    requesting_country = SelectField("Requesting country")
    requesting_authority_id = SelectField(
        "Requesting authority (optional)", validators=[Optional()]
    )
    requested_country = SelectField("Requested country")
    requested_authority_id = SelectField("Requested authority (optional)", validators=[Optional()])
    crime_type = SelectField("Crime type", choices=CRIME_TYPES)
    assistance_types = MultiCheckboxField("Assistance requested", choices=ASSISTANCE_TYPES)
    legal_basis = SelectField("Legal basis")
    channel = SelectField("Channel", choices=CHANNELS)
    urgency = SelectField("Urgency", choices=URGENCIES)
    summary = TextAreaField("Summary (optional)", validators=[Length(max=4000)])
    version = VersionField()


class NewRequestForm(RequestForm):
    date_sent = DateField("Date sent (leave empty for a draft)", validators=[Optional()])


class EditRequestForm(ReasonMixin, RequestForm):
    """The same fields, and why they change (for the audit log)."""


class StatusForm(FlaskForm):
    status = SelectField("New status", choices=STATUS_LABELS)
    date = DateField(
        "Date", default=date.today, validators=[DataRequired(message="Give the date.")]
    )
    ground = SelectField(
        "Ground of refusal (refusals only)",
        choices={"": "—", **REFUSAL_GROUNDS},
        validators=[Optional()],
    )
    note = TextAreaField("Note (optional)", validators=[Length(max=2000)])
    reason = StringField("Reason (needed to reopen a closed request)", validators=[Length(max=500)])
