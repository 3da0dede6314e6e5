"""Indicator definitions, baselines and targets, and their values for a period."""

from datetime import date

import sqlalchemy as sa

from registry.blueprints.indicators.compute import COMPUTE
from registry.blueprints.indicators.models import Indicator, IndicatorTarget
from registry.core import audit
from registry.core.errors import Forbidden, ValidationFailed
from registry.core.roles import ADMIN, UNODC
from registry.core.validate import Checker
from registry.extensions import db

EDITORS = (ADMIN, UNODC)


def indicators():
    return db.session.scalars(sa.select(Indicator).order_by(Indicator.position)).all()


def values(user, code, start, end, country=None, countries=None):
    """The indicator's rows and total; limited to one country or to a list of countries."""
    return COMPUTE[code](user, start, end, [country] if country else countries)


def progress(indicator, value, year):
    """Share of the target for `year` (or the latest target) reached, or None without a target."""
    targets = [t for t in indicator.targets if t.year >= year] or indicator.targets
    if not targets or not targets[0].value:
        return None
    return round(100 * value / targets[0].value)


def update(actor, indicator, data, expected_version=None, reason=None):
    """Set the baseline (value, year) and the targets [(year, value)]; empty means to be defined."""
    if actor.role not in EDITORS:
        raise Forbidden("Only UNODC staff and administrators set baselines and targets.")
    check = Checker(data)
    baseline_value = check.count("baseline_value", default=None)
    baseline_year = check.count("baseline_year", default=None)
    if (baseline_value is None) != (baseline_year is None):
        check.fail("baseline_year", "Give both the baseline value and its year, or neither.")
    if baseline_year is not None and not 2000 <= baseline_year <= 2100:
        check.fail("baseline_year", "Give a year from 2000 to 2100.")
    targets = []
    for i, (year, value) in enumerate(data.get("targets") or []):
        if year in (None, "") and value in (None, ""):
            continue
        try:
            year, value = int(year), int(value)
        except (TypeError, ValueError):
            check.fail("targets", f"Target {i + 1}: give a whole year and a whole value.")
            continue
        if not 2000 <= year <= 2100 or value < 0:
            check.fail(
                "targets", f"Target {i + 1}: the year must be 2000–2100 and the value not negative."
            )
        targets.append((year, value))
    if len({y for y, _ in targets}) != len(targets):
        check.fail("targets", "One target per year.")
    if not (reason or "").strip():
        check.fail("reason", "Say why the baseline or targets change.")
    check.raise_if_any("The indicator was not saved.")
    indicator.check_version(expected_version)
    audit.act_as(actor, reason.strip())
    indicator.baseline_value, indicator.baseline_year = baseline_value, baseline_year
    current = {t.year: t for t in indicator.targets}
    new = []
    for year, value in sorted(targets):
        target = current.get(year) or IndicatorTarget(year=year, value=value)
        target.value = value
        new.append(target)
    indicator.targets = new
    indicator.stamp(actor)
    db.session.flush()
    return indicator


def period_of(args, today=None):
    """Read from/to (YYYY-MM-DD) or a year from request args; default: this calendar year."""
    today = today or date.today()
    try:
        if args.get("year"):
            year = int(args["year"])
            return date(year, 1, 1), date(year, 12, 31)
        start = date.fromisoformat(args["from"]) if args.get("from") else date(today.year, 1, 1)
        end = date.fromisoformat(args["to"]) if args.get("to") else date(today.year, 12, 31)
    except (ValueError, OverflowError) as exc:
        raise ValidationFailed(
            "Bad period.", {"from": ["Give dates as YYYY-MM-DD and a year as 4 digits."]}
        ) from exc
    if end < start:
        raise ValidationFailed("Bad period.", {"to": ["The period ends before it starts."]})
    return start, end
