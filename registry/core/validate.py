"""Field checks shared by every domain's services; errors are collected, then raised once."""

from datetime import date
from decimal import Decimal, InvalidOperation

from registry.core.errors import ValidationFailed
from registry.core.lookups import FROM_DATABASE


class Checker:
    """Collect field errors while cleaning plain input data.

    `lookups` answers questions about reference data (a bulk import passes preloaded ones).
    """

    def __init__(self, data, lookups=FROM_DATABASE):
        self.data = data
        self.lookups = lookups
        self.errors = {}

    def fail(self, field, message):
        self.errors.setdefault(field, []).append(message)

    def text(self, field, max_length=300, required=True, label="this field"):
        value = (self.data.get(field) or "").strip()
        if required and not value:
            self.fail(field, f"Enter {label}.")
        elif len(value) > max_length:
            self.fail(field, f"At most {max_length} characters.")
        return value

    def code(self, field, allowed, required=True, default=None):
        value = self.data.get(field) or default
        if value is None and not required:
            return None
        if value not in allowed:
            self.fail(field, f"Choose one of: {', '.join(allowed)}.")
        return value

    def codes(self, field, allowed, minimum=1, label="an option"):
        values = sorted(set(self.data.get(field) or []))
        unknown = [v for v in values if v not in allowed]
        if unknown:
            self.fail(field, f"Unknown values: {', '.join(map(str, unknown))}.")
        elif len(values) < minimum:
            self.fail(field, f"Choose at least {minimum} {label}.")
        return values

    def country(self, field, required=True):
        value = (self.data.get(field) or "").strip().upper()
        if not value:
            if required:
                self.fail(field, "Choose a country.")
            return None
        if not self.lookups.is_country(value):
            self.fail(field, f"Unknown country code {value!r}.")
        return value

    def countries(self, field, minimum=1, too_few=None):
        values = sorted({(v or "").strip().upper() for v in self.data.get(field) or [] if v})
        known = self.lookups.known_countries(values)
        if unknown := [v for v in values if v not in known]:
            self.fail(field, f"Unknown country codes: {', '.join(unknown)}.")
        elif len(values) < minimum:
            plural = "country" if minimum == 1 else "countries"
            self.fail(field, too_few or f"Choose at least {minimum} {plural}.")
        return values

    def day(self, field, required=False, not_after=None):
        value = self.data.get(field)
        if value in (None, ""):
            if required:
                self.fail(field, "Give the date (YYYY-MM-DD).")
            return None
        if not isinstance(value, date):
            self.fail(field, "Give the date as YYYY-MM-DD.")
            return None
        if not_after and value > not_after:
            self.fail(field, "The date cannot be in the future.")
        return value

    def count(self, field, default=0, maximum=10**9):
        value = self.data.get(field)
        if value in (None, ""):
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except ValueError:
                self.fail(field, "Give a whole number.")
                return default
        if value < 0:
            self.fail(field, "Cannot be negative.")
        elif value > maximum:
            self.fail(field, f"At most {maximum}.")
        return value

    def amount(self, field):
        value = self.data.get(field)
        if value in (None, ""):
            return None
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            self.fail(field, "Give an amount such as 1250.50.")
            return None
        if value < 0:
            self.fail(field, "Cannot be negative.")
        return value

    def raise_if_any(self, message):
        if self.errors:
            raise ValidationFailed(message, self.errors)
