"""Forms for work-plan items."""

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from registry.blueprints.workplan.models import STATUSES
from registry.core.forms import ReasonMixin


class ItemForm(FlaskForm):
    work_plan = StringField(
        "Work plan", validators=[DataRequired(message="Name the work plan."), Length(max=200)]
    )
    title = TextAreaField(
        "Activity", validators=[DataRequired(message="Enter the activity."), Length(max=500)]
    )
    lead = StringField(
        "Lead country or body",
        validators=[DataRequired(message="Name the lead."), Length(max=200)],
    )
    supporting = StringField("Supporting or cooperating", validators=[Length(max=500)])
    timeline = StringField("Timeline (as written)", validators=[Length(max=100)])
    indicative_budget = StringField("Indicative budget", validators=[Length(max=100)])
    narrative = TextAreaField("Narrative", validators=[Length(max=8000)])
    status = SelectField("Status", choices=STATUSES)
    status_date = DateField("Status since", validators=[Optional()])
    status_note = StringField("Note on the status", validators=[Length(max=1000)])
    version = HiddenField()


class EditItemForm(ReasonMixin, ItemForm):
    """The same fields, and why they change."""
