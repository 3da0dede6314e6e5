"""Forms for prosecution cases and annual statistics."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from registry.blueprints.prosecutions.models import (
    AGE_GROUPS,
    CRIME_TYPES,
    EXPLOITATION_FORMS,
    METRICS,
    OUTCOMES,
    SEXES,
    STAGES,
)
from registry.core.forms import MultiCheckboxField, ReasonMixin, VersionField


class CaseForm(FlaskForm):
    country = SelectField("Country")
    reference = StringField(
        "Internal reference",
        validators=[DataRequired(message="Enter the case reference."), Length(max=60)],
    )
    crime_type = SelectField("Crime type", choices=CRIME_TYPES)
    exploitation_forms = MultiCheckboxField("Forms of exploitation", choices=EXPLOITATION_FORMS)
    sector = StringField("Sector (optional)", validators=[Length(max=60)])
    transnational = BooleanField("Transnational")
    cyber_enabled = BooleanField("Cyber-enabled")
    corruption_link = BooleanField("Corruption link")
    non_punishment_applied = BooleanField("Non-punishment principle applied")
    mla_request_ids = MultiCheckboxField("Linked MLA requests", coerce=int)
    jit_ids = MultiCheckboxField("Linked joint investigation teams", coerce=int)
    notes = TextAreaField("Notes", validators=[Length(max=4000)])
    version = VersionField()


class NewCaseForm(CaseForm):
    stage = SelectField("Stage now", choices=STAGES)
    stage_date = DateField(
        "Since", validators=[DataRequired(message="Give the date this stage started.")]
    )
    investigation_started = DateField(
        "Investigation started (leave empty when not known)", validators=[Optional()]
    )
    prosecution_started = DateField(
        "Prosecution started (leave empty when not known)", validators=[Optional()]
    )


class EditCaseForm(ReasonMixin, CaseForm):
    """The same fields, and why they change (for the audit log)."""


class StageForm(FlaskForm):
    stage = SelectField("Next stage", choices=STAGES)
    date = DateField("Date", validators=[DataRequired(message="Give the date.")])


class DefendantForm(FlaskForm):
    sex = SelectField("Sex", choices=SEXES)
    nationality = SelectField("Nationality", validators=[Optional()])
    outcome = SelectField("Outcome", choices=OUTCOMES)
    # Ranges are the service's, so that the page and the API say the same.
    sentence_months = IntegerField("Sentence (months)", validators=[Optional()])
    fine = DecimalField("Fine", validators=[Optional()])
    asset_confiscation = DecimalField("Assets confiscated (value)", validators=[Optional()])
    restitution = DecimalField("Restitution ordered", validators=[Optional()])


class VictimCountForm(FlaskForm):
    sex = SelectField("Sex", choices=SEXES)
    age_group = SelectField("Age group", choices=AGE_GROUPS)
    nationality = SelectField("Nationality")
    count = IntegerField("Number of victims", validators=[Optional()])


class StatisticForm(FlaskForm):
    country = SelectField("Country")
    year = IntegerField("Year", validators=[DataRequired(message="Give the year.")])
    metric = SelectField("Figure", choices=METRICS)
    source = StringField(
        "Source", validators=[DataRequired(message="Name the source."), Length(max=200)]
    )
    total = IntegerField(
        "Total", validators=[DataRequired(message="Give the total."), NumberRange(min=0)]
    )
    female = IntegerField("Of whom women and girls", validators=[Optional(), NumberRange(min=0)])
    male = IntegerField("Of whom men and boys", validators=[Optional(), NumberRange(min=0)])
    version = VersionField()
    reason = StringField("Reason (when changing a figure)", validators=[Length(max=500)])
