"""Query-string filters checked before they reach a query: a code outside its list, a number
out of its bounds or a date that is not one is a 422 naming the parameter, never a 500.

An empty value means "no filter", as the list pages' forms send it.
"""

from datetime import date

from registry.core.errors import ValidationFailed

MIN_YEAR, MAX_YEAR = 1900, 2100


def _refuse(name, message):
    raise ValidationFailed(f"The filter {name!r} is not valid: {message}", {name: [message]})


def code(args, name, allowed):
    """The value of `name` if it is one of `allowed` (codes, or an enum column), else 422."""
    value = args.get(name)
    if not value:
        return None
    codes = getattr(getattr(allowed, "type", None), "enums", allowed)
    if value not in codes:
        _refuse(name, "choose one of " + ", ".join(codes) + ".")
    return value


def integer(args, name, minimum, maximum, default=None):
    """The whole number `name` between `minimum` and `maximum`, else 422."""
    value = args.get(name)
    if value in (None, ""):
        return default
    text = str(value).strip()
    if not text.lstrip("-").isdigit() or len(text) > 12:
        _refuse(name, "give a whole number.")
    number = int(text)
    if not minimum <= number <= maximum:
        _refuse(name, f"give a number from {minimum} to {maximum}.")
    return number


def year(args, name, default=None):
    return integer(args, name, MIN_YEAR, MAX_YEAR, default)


def day(args, name):
    """A YYYY-MM-DD date, else 422."""
    value = args.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _refuse(name, "give a date as YYYY-MM-DD.")
