"""Forms for joint investigation teams."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from registry.blueprints.jits.models import JIT_TYPES, STATUS_LABELS
from registry.core.forms import MultiCheckboxField, ReasonMixin, VersionField


def _count(label):
    return IntegerField(
        label, default=0, validators=[Optional(), NumberRange(min=0, message="Cannot be negative.")]
    )


class JitForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired(message="Enter the team's name."), Length(max=200)]
    )
    type = SelectField("Type", choices=JIT_TYPES)
    member_countries = MultiCheckboxField("Member countries")
    lead_country = SelectField("Lead country")
    legal_basis = SelectField("Legal basis")
    agreement_signed = DateField("Agreement signed", validators=[Optional()])
    planned_end = DateField("Planned end", validators=[Optional()])
    actual_end = DateField("Actual end", validators=[Optional()])
    arrests = _count("Arrests")
    victims_female_adult = _count("Women")
    victims_female_child = _count("Girls")
    victims_male_adult = _count("Men")
    victims_male_child = _count("Boys")
    victims_other_adult = _count("Adults, other or unknown sex")
    victims_other_child = _count("Children, other or unknown sex")
    assets_value = DecimalField(
        "Assets seized (value)", places=2, validators=[Optional(), NumberRange(min=0)]
    )
    assets_currency = StringField("Currency (ISO 4217)", validators=[Optional(), Length(max=3)])
    prosecutions_opened = _count("Prosecutions opened")
    mla_request_ids = MultiCheckboxField("Linked MLA requests", coerce=int)
    results_achieved = TextAreaField("Results achieved", validators=[Length(max=4000)])
    legal_issues = TextAreaField("Legal issues", validators=[Length(max=4000)])
    practical_difficulties = TextAreaField("Practical difficulties", validators=[Length(max=4000)])
    lessons_learned = TextAreaField("Lessons learned", validators=[Length(max=4000)])
    version = VersionField()


class EditJitForm(ReasonMixin, JitForm):
    """The same fields, and why they change (for the audit log)."""


class StatusForm(FlaskForm):
    status = SelectField("New status", choices=STATUS_LABELS)
    reason = StringField("Reason (optional)", validators=[Length(max=500)])


class ExtensionForm(FlaskForm):
    date = DateField("Decided on", validators=[DataRequired(message="Give the date.")])
    new_end = DateField("New end", validators=[DataRequired(message="Give the new end date.")])
    note = StringField("Note", validators=[Length(max=500)])
