"""Forms for meetings and action items."""

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from registry.blueprints.meetings.models import (
    ITEM_STATUSES,
    MEETING_TYPES,
    UPDATE_FIELDS,
    UPDATE_MAX_LENGTH,
)
from registry.core.forms import MultiCheckboxField, ReasonMixin, VersionField


def _count(label):
    return IntegerField(
        label, default=0, validators=[Optional(), NumberRange(min=0, message="Cannot be negative.")]
    )


class MeetingForm(FlaskForm):
    type = SelectField("Type", choices=MEETING_TYPES)
    title = StringField(
        "Title", validators=[DataRequired(message="Enter the meeting's title."), Length(max=300)]
    )
    date = DateField("Date", validators=[DataRequired(message="Give the date.")])
    venue = StringField("Venue", validators=[Length(max=200)])
    countries = MultiCheckboxField("Participating countries")
    host_country = SelectField("Host country", validators=[Optional()])
    participants_female = _count("Participants: women")
    participants_male = _count("Participants: men")
    participants_other = _count("Participants: other or not stated")
    agency_ids = MultiCheckboxField("Agencies present", coerce=int)
    topics = TextAreaField("Topics", validators=[Length(max=4000)])
    outcomes = TextAreaField("Outcomes", validators=[Length(max=4000)])
    counts_toward_2_6_1 = SelectField(
        "Counts toward indicator 2.6.1",
        choices={"default": "As the type says", "yes": "Yes", "no": "No"},
    )
    version = VersionField()


class EditMeetingForm(ReasonMixin, MeetingForm):
    """The same fields, and why they change (for the audit log)."""


class ActionItemForm(FlaskForm):
    owner_country = SelectField("Owner country")
    description = StringField("What is to be done", validators=[DataRequired(), Length(max=2000)])
    due_date = DateField("Due", validators=[Optional()])


class ActionItemStatusForm(ReasonMixin, FlaskForm):
    status = SelectField("Status", choices=ITEM_STATUSES)
    version = VersionField()


def _update_text(label):
    return TextAreaField(label, validators=[Length(max=UPDATE_MAX_LENGTH)])


class CountryUpdateForm(FlaskForm):
    country = SelectField("Country", validators=[Optional()])
    successes = _update_text(UPDATE_FIELDS["successes"])
    challenges = _update_text(UPDATE_FIELDS["challenges"])
    next_steps = _update_text(UPDATE_FIELDS["next_steps"])
    proposed_actions = _update_text(UPDATE_FIELDS["proposed_actions"])
    on_behalf_reason = StringField(
        "Why you enter it on the country's behalf", validators=[Length(max=500)]
    )
    status = SelectField(
        "Save as",
        choices={"draft": "Draft (you can change it)", "submitted": "Submitted (locks it)"},
    )
    version = HiddenField()  # none on the first save of a country's update


class ReopenUpdateForm(ReasonMixin, FlaskForm):
    """Which country's submitted update goes back to draft, and why."""

    country = HiddenField(validators=[DataRequired(), Length(min=3, max=3)])
