"""Forms for the central-authority directory."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from registry.blueprints.directory.models import ASSISTANCE_TYPES, CHANNELS, LANGUAGES, ROLES
from registry.core.forms import MultiCheckboxField, VersionField


class AuthorityForm(FlaskForm):
    role = SelectField("Role", choices=ROLES)
    name = StringField(
        "Name in the local script",
        validators=[DataRequired(message="Enter the authority's name."), Length(max=300)],
    )
    name_en = StringField("Name in English", validators=[Length(max=300)])
    address = TextAreaField("Postal address", validators=[Length(max=1000)])
    channel = SelectField("How requests reach it", choices=CHANNELS)
    languages = MultiCheckboxField("Languages it accepts", choices=LANGUAGES)
    contact = TextAreaField(
        "Contact (e-mail, telephone; shown to signed-in users only)",
        validators=[Length(max=1000)],
    )
    notes = TextAreaField("Notes", validators=[Length(max=2000)])
    version = VersionField()


class RequirementForm(FlaskForm):
    assistance_type = SelectField("Type of assistance", choices=ASSISTANCE_TYPES)
    must_contain = TextAreaField(
        "What the request must contain",
        validators=[DataRequired(message="Say what the request must contain."), Length(max=4000)],
    )
    translation = TextAreaField("Translation needed", validators=[Length(max=1000)])
    typical_days = IntegerField(
        "Typical time to execute (days)",
        validators=[Optional(), NumberRange(min=1, max=3650, message="Between 1 and 3650 days.")],
    )
    notes = TextAreaField("Notes", validators=[Length(max=2000)])
    version = VersionField()
