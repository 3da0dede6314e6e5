"""The form that asks for a brief."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from registry.blueprints.briefs.models import MEETING_TYPES, SECTIONS
from registry.core.forms import MultiCheckboxField


def _year_start():
    return date(date.today().year - 1, 1, 1)


class BriefForm(FlaskForm):
    meeting_id = SelectField("A meeting in the registry (optional)", validators=[Optional()])
    meeting_type = SelectField("Meeting", choices=MEETING_TYPES)
    title = StringField("Title (optional)", validators=[Optional(), Length(max=300)])
    meeting_date = DateField("Meeting date (optional)", validators=[Optional()])
    scope = SelectField(
        "Countries", choices={"all": "All ASEAN members", "some": "The countries ticked below"}
    )
    countries = MultiCheckboxField("Countries")
    period_from = DateField("Period from", default=_year_start, validators=[DataRequired()])
    period_to = DateField("Period to", default=date.today, validators=[DataRequired()])
    sections = MultiCheckboxField("Sections", choices=SECTIONS, default=list(SECTIONS))
