"""Helpers shared by every Flask-WTF form."""

from flask import flash

from registry.core.errors import DomainError


def apply_errors(form, error: DomainError):
    """Show a service's message, and its field errors next to the matching form fields."""
    flash(error.message, "error")
    for field_name, messages in error.errors.items():
        field = getattr(form, field_name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
