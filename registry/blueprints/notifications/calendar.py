"""A person's deadlines as an iCalendar feed (JIT ends, action items, MLA follow-ups, ...)."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from registry.blueprints.notifications import rules
from registry.blueprints.notifications.targets import target_of
from registry.core.roles import CASE_READERS

# The feed shows deadlines from this long ago (the recently missed) up to a year ahead.
PAST = timedelta(days=90)
AHEAD = timedelta(days=366)


def deadlines(user, today):
    """(rule, deadline) for every deadline in the window within the user's scope."""
    if user.role not in CASE_READERS:
        return []
    return [
        (rule, deadline)
        for rule in rules.RULES
        for deadline in rule.deadlines(user, today - PAST, today + AHEAD)
    ]


def ical(user, today, link):
    """The feed as iCalendar bytes; `link(endpoint, values)` gives a record's address."""
    feed = Calendar()
    feed.add("prodid", "-//Cooperation Registry//Deadlines//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", "Cooperation Registry deadlines")
    stamp = datetime.now(UTC)
    for rule, deadline in deadlines(user, today):
        target = target_of(rule.soon)
        event = Event()
        event.add("uid", f"{rule.soon}-{deadline.subject_id}-{deadline.on:%Y%m%d}@registry")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.on)
        event.add("summary", f"{deadline.event.capitalize()}: {deadline.subject}")
        event.add("url", link(target.endpoint, {target.argument: deadline.target_id}))
        feed.add_component(event)
    return feed.to_ical()
