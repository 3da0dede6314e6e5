"""Forms for meetings and action items."""

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from registry.blueprints.meetings.models import ITEM_STATUSES, MEETING_TYPES
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
