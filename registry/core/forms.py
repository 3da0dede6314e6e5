"""Helpers shared by every Flask-WTF form."""

from flask import flash
from wtforms import HiddenField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from registry.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from registry.extensions import db


def apply_errors(form, error: DomainError):
    """Show a service's message, and its field errors next to the matching form fields (a field
    the form itself refused keeps the form's message only)."""
    flash(error.message, "error")
    for field_name, messages in error.errors.items():
        field = getattr(form, field_name, None)
        if field is not None and hasattr(field, "errors") and not field.errors:
            field.errors = list(messages)


def save_form(form, run, refused=(ValidationFailed, Conflict, Forbidden)):
    """On a submit, run the form's checks and the service's together, so that every problem
    shows at once rather than one batch per submit. Returns what `run` returned when both pass
    (the caller commits); otherwise None, with the errors on the form and nothing written."""
    if not form.is_submitted():
        return None
    form_ok = form.validate()
    savepoint = db.session.begin_nested()
    try:
        result = run()
    except refused as exc:
        savepoint.rollback()
        apply_errors(form, exc)
        return None
    if not form_ok:
        savepoint.rollback()
        return None
    savepoint.commit()
    return result


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


class VersionField(HiddenField):
    """The version of the record an edit form was opened on, sent back with the change.

    A posted value that is no whole number counts as none; the record's `check_version` then
    refuses the save (428 for none, 409 for a stale one) and the form shows why.
    """

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = int(raw) if raw.isdigit() and len(raw) <= 10 else None
