"""Forms for reference data."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from registry.blueprints.reference.models import AGENCY_TYPES
from registry.core.forms import VersionField


class AgencyForm(FlaskForm):
    name = StringField(
        "Name (in any script)",
        validators=[DataRequired(message="Enter the agency's name."), Length(max=300)],
    )
    name_en = StringField("Name in English (optional)", validators=[Length(max=300)])
    country = SelectField("Country", validators=[DataRequired(message="Choose a country.")])
    type = SelectField("Type", choices=AGENCY_TYPES)
    version = VersionField()


class CountryForm(FlaskForm):
    iso3 = SelectField("Country (ISO 3166)", validators=[DataRequired()])


class LegalBasisForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired(), Length(max=40)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    active = BooleanField("In use", default=True)
