"""Kaplan–Meier (product-limit) estimate of time to an event, with censored observations.

Plain Python over a few hundred rows: exact fractions, so that "survival ≤ 0.5" is decided
without rounding error, then floats for the caller.
"""

from fractions import Fraction


def product_limit(observations):
    """The survival curve of (days, observed) pairs: [(0, 1), (day, S(day)), ...] at event days.

    At a day with both events and censorings, the events come first: a request censored on
    day t was still at risk on day t (the usual convention, as lifelines and R survival).
    """
    events, leaving = {}, {}
    for days, observed in observations:
        leaving[days] = leaving.get(days, 0) + 1
        if observed:
            events[days] = events.get(days, 0) + 1
    at_risk = len(observations)
    survival = Fraction(1)
    curve = [(0, survival)]
    for day in sorted(leaving):
        if day in events:
            survival *= 1 - Fraction(events[day], at_risk)
            curve.append((day, survival))
        at_risk -= leaving[day]
    return curve


def quantile_day(curve, survival):
    """The first day at which the estimated survival is at most `survival`, else None."""
    return next((day for day, s in curve if s <= survival), None)
