"""Forms for trainings, practitioners, participations and participant lists."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from registry.blueprints.training.models import MODALITIES, ROLE_TYPES, SEXES, TOPICS
from registry.core.forms import MultiCheckboxField, ReasonMixin, VersionField


class TrainingForm(FlaskForm):
    title = StringField(
        "Title", validators=[DataRequired(message="Enter the title."), Length(max=300)]
    )
    activity_code = StringField("Activity code (e.g. 2.4.1)", validators=[Length(max=20)])
    country = SelectField("Country")
    start_date = DateField("Start", validators=[DataRequired(message="Give the first day.")])
    end_date = DateField("End", validators=[DataRequired(message="Give the last day.")])
    modality = SelectField("Modality", choices=MODALITIES)
    hours = IntegerField("Hours", default=0, validators=[Optional(), NumberRange(min=0, max=1000)])
    organiser = StringField("Organiser", validators=[Length(max=200)])
    topics = MultiCheckboxField("Topics", choices=TOPICS)
    version = VersionField()


class EditTrainingForm(ReasonMixin, TrainingForm):
    """The same fields, and why they change (for the audit log)."""


class PractitionerForm(FlaskForm):
    name = StringField(
        "Name (any script)", validators=[DataRequired(message="Enter the name."), Length(max=200)]
    )
    sex = SelectField("Sex", choices=SEXES)
    country = SelectField("Country")
    agency_id = SelectField("Agency (optional)", validators=[Optional()])
    role_type = SelectField("Role", choices=ROLE_TYPES)
    version = VersionField()


class EditPractitionerForm(ReasonMixin, PractitionerForm):
    """The same fields, and why they change (for the audit log)."""


class UploadForm(FlaskForm):
    file = FileField(
        "Participant list (.xlsx or .csv)", validators=[FileRequired(message="Choose a file.")]
    )


class MergeForm(FlaskForm):
    keep = HiddenField(validators=[DataRequired()])
    drop = HiddenField(validators=[DataRequired()])
    reason = StringField("Reason", validators=[DataRequired(message="Say why."), Length(max=500)])


class ScoresForm(ReasonMixin, FlaskForm):
    pre_score = IntegerField("Pre-test", validators=[Optional(), NumberRange(0, 100)])
    post_score = IntegerField("Post-test", validators=[Optional(), NumberRange(0, 100)])
    completed = BooleanField("Completed")
    version = VersionField()
