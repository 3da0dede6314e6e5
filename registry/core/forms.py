"""Helpers shared by every Flask-WTF form."""

from flask import flash
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from registry.core.errors import DomainError


def apply_errors(form, error: DomainError):
    """Show a service's message, and its field errors next to the matching form fields."""
    flash(error.message, "error")
    for field_name, messages in error.errors.items():
        field = getattr(form, field_name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (easier than a multi-select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ReasonMixin:
    """Edits of a saved record say why (docs/architecture.md §4); the reason goes into the audit log."""

    reason = StringField(
        "Reason for this change",
        validators=[DataRequired(message="Say why you change this record."), Length(max=500)],
    )
