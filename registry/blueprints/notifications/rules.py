"""The reminder rules: which records have a deadline, when a reminder of it is due, whom it
concerns.

Each rule lists the deadlines of its records that fall in a window, within one user's scope or
the whole registry's. The reminders (services.run) take every deadline up to today plus the
rule's lead time and tell the focal points of the record's countries who may see the record;
the calendar feed (calendar.py) lists a user's deadlines as events. A new rule, such as a
meeting's country updates not submitted some days before the meeting, is one more Rule in
RULES, with its kinds in models.KINDS and targets.KIND_TARGET.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.jits.models import Jit
from registry.blueprints.meetings.models import (
    REPORTING_TYPES,
    ActionItem,
    CountryUpdate,
    Meeting,
)
from registry.blueprints.mla.models import PENDING, MlaRequest
from registry.blueprints.training.models import Participation, Training
from registry.core import settings
from registry.core.permissions import scoped
from registry.extensions import db

# Received by the other side, perhaps, but not yet acknowledged.
UNACKNOWLEDGED = ("sent", "received")


@dataclass(frozen=True)
class Deadline:
    """A record's deadline, described by its reference, countries and dates only (the text
    leaves the registry by mail and calendar)."""

    subject_id: int  # the record the deadline is of
    target_id: int  # the record whose page shows it
    on: date
    subject: str  # e.g. "MLA request KH/2026/7 (Cambodia → Thailand, sent 2026-08-01)"
    event: str  # the deadline, for a calendar: "acknowledgement due"
    countries: tuple  # whose focal points are told
    record: object  # the target record, for its can_view rule
    creator_of: tuple | None = None  # (audited type, id): the account that created it is told


@dataclass(frozen=True)
class Rule:
    soon: str  # the notification kind while the deadline is ahead (or today)
    late: str  # ... and once it has passed
    lead_days: Callable[[], int]  # a reminder is due this many days before the deadline
    deadlines: Callable[..., Iterator[Deadline]]  # (user or None, since or None, until)

    def due(self, today):
        """The deadlines whose reminder is due on `today`, each with its notification kind."""
        for deadline in self.deadlines(None, None, today + timedelta(days=self.lead_days())):
            yield (self.late if deadline.on < today else self.soon), deadline


def _scope(stmt, user, model):
    return stmt if user is None else scoped(stmt, user, model)


def _between(column, since, until):
    clause = column <= until
    return clause if since is None else sa.and_(clause, column >= since)


def _mla_subject(req):
    return (
        f"MLA request {req.reference} ({req.requesting.name} → {req.requested.name}, "
        f"sent {req.date_sent.isoformat()})"
    )


def _mla(req, on, event):
    countries = (req.requesting_country, req.requested_country)
    return Deadline(req.id, req.id, on, _mla_subject(req), event, countries, req)


def mla_acknowledgements(user, since, until):
    """Requests sent and not acknowledged: due MLA_ACK_REMINDER_DAYS after sending."""
    days = timedelta(days=settings.get("MLA_ACK_REMINDER_DAYS"))
    stmt = sa.select(MlaRequest).where(
        MlaRequest.status.in_(UNACKNOWLEDGED),
        _between(MlaRequest.date_sent, since and since - days, until - days),
    )
    for req in db.session.scalars(_scope(stmt, user, MlaRequest).order_by(MlaRequest.id)):
        yield _mla(req, req.date_sent + days, "acknowledgement due")


def mla_answers(user, since, until):
    """Pending requests: a final answer is due MLA_OVERDUE_DAYS after sending (the overdue
    threshold), MLA_URGENT_OVERDUE_DAYS for urgent ones."""
    routine = timedelta(days=settings.get("MLA_OVERDUE_DAYS"))
    urgent = timedelta(days=settings.get("MLA_URGENT_OVERDUE_DAYS"))
    sent = MlaRequest.date_sent
    stmt = sa.select(MlaRequest).where(
        MlaRequest.status.in_(PENDING),
        sa.or_(
            sa.and_(
                MlaRequest.urgency == "urgent",
                _between(sent, since and since - urgent, until - urgent),
            ),
            sa.and_(
                MlaRequest.urgency != "urgent",
                _between(sent, since and since - routine, until - routine),
            ),
        ),
    )
    for req in db.session.scalars(_scope(stmt, user, MlaRequest).order_by(MlaRequest.id)):
        days = urgent if req.urgency == "urgent" else routine
        yield _mla(req, req.date_sent + days, "final answer due")


def jit_ends(user, since, until):
    """Teams not concluded and without an actual end: due on their (extended) planned end."""
    end = Jit.current_end_clause()
    stmt = sa.select(Jit).where(
        Jit.status != "concluded", Jit.actual_end.is_(None), _between(end, since, until)
    )
    for jit in db.session.scalars(_scope(stmt, user, Jit).order_by(Jit.id)):
        names = ", ".join(m.country.name for m in jit.members)
        yield Deadline(
            jit.id,
            jit.id,
            jit.current_end,
            f"JIT {jit.name} ({names})",
            "planned end",
            tuple(jit.member_countries),
            jit,
        )


def action_items(user, since, until):
    """Open action items: due on their due date, to their owner country."""
    stmt = sa.select(ActionItem).where(
        ActionItem.status == "open", _between(ActionItem.due_date, since, until)
    )
    for item in db.session.scalars(_scope(stmt, user, ActionItem).order_by(ActionItem.id)):
        meeting = item.meeting
        yield Deadline(
            item.id,
            meeting.id,
            item.due_date,
            f"Action item for {item.owner.name} from the meeting “{meeting.title}” "
            f"({meeting.date.isoformat()})",
            "action item due",
            (item.owner_country,),
            meeting,
        )


def post_tests(user, since, until):
    """Trainings with participations lacking a post-test: due POST_TEST_REMINDER_DAYS after
    the training ended, to the organiser: the focal points of the training's country and the
    account that recorded the training."""
    days = timedelta(days=settings.get("POST_TEST_REMINDER_DAYS"))
    missing = (
        sa.select(Participation.training_id, sa.func.count().label("n"))
        .where(Participation.post_score.is_(None))
        .group_by(Participation.training_id)
        .subquery()
    )
    stmt = (
        sa.select(Training, missing.c.n)
        .join(missing, missing.c.training_id == Training.id)
        .where(_between(Training.end_date, since and since - days, until - days))
    )
    for course, n in db.session.execute(_scope(stmt, user, Training).order_by(Training.id)):
        yield Deadline(
            course.id,
            course.id,
            course.end_date + days,
            f"Training “{course.title}” ({course.country_ref.name}, "
            f"{course.start_date.isoformat()} to {course.end_date.isoformat()}), "
            f"{n} participant{'s' if n != 1 else ''} without a post-test score",
            "post-test scores due",
            (course.country,),
            course,
            creator_of=("Training", course.id),
        )


def country_updates(user, since, until):
    """Meetings whose countries report (REPORTING_TYPES): due COUNTRY_UPDATE_REMINDER_DAYS
        before the meeting, to the focal points of the participating countries that have not
        submitted their update. A reminder run (no `since`) looks at meetings still to come (from
    `until`, its day, on)."""
    days = timedelta(days=settings.get("COUNTRY_UPDATE_REMINDER_DAYS"))
    submitted = sa.select(CountryUpdate.meeting_id, CountryUpdate.country_code).where(
        CountryUpdate.status == "submitted"
    )
    done = {}
    for meeting_id, country in db.session.execute(submitted):
        done.setdefault(meeting_id, set()).add(country)
    # A deadline falls in [since, until] when its meeting falls in [since, until] + days.
    first = until if since is None else since + days
    stmt = sa.select(Meeting).where(
        Meeting.type.in_(REPORTING_TYPES), Meeting.date.between(first, until + days)
    )
    for meeting in db.session.scalars(_scope(stmt, user, Meeting).order_by(Meeting.id)):
        missing = tuple(c for c in meeting.countries if c not in done.get(meeting.id, ()))
        if not missing:
            continue
        yield Deadline(
            meeting.id,
            meeting.id,
            meeting.date - days,
            f"Country update for the meeting “{meeting.title}” ({meeting.date.isoformat()})",
            "country update due",
            missing,
            meeting,
        )


RULES = (
    # Reminded the day after the deadline: "not acknowledged after N days".
    Rule("mla_unacknowledged", "mla_unacknowledged", lambda: -1, mla_acknowledgements),
    Rule("mla_unanswered", "mla_unanswered", lambda: -1, mla_answers),
    Rule("jit_ending", "jit_past_end", lambda: settings.get("JIT_END_REMINDER_DAYS"), jit_ends),
    Rule(
        "action_item_due",
        "action_item_overdue",
        lambda: settings.get("ACTION_ITEM_REMINDER_DAYS"),
        action_items,
    ),
    Rule("training_post_test", "training_post_test", lambda: 0, post_tests),
    # Reminded N days before the meeting (the deadline), and on each day after until it.
    Rule("country_update_missing", "country_update_missing", lambda: 0, country_updates),
)

# What each kind of reminder says after the record's description.
PHRASES = {
    "mla_unacknowledged": "not acknowledged; acknowledgement was due on {on}.",
    "mla_unanswered": "no final answer; it was due on {on}.",
    "jit_ending": "its term ends on {on}.",
    "jit_past_end": "its planned end ({on}) has passed without an extension or an actual end.",
    "action_item_due": "due on {on}.",
    "action_item_overdue": "overdue since {on}.",
    "training_post_test": "the post-test scores were due on {on}.",
    "country_update_missing": "not submitted; it is due on {on}, before the meeting.",
}


def text(kind, deadline):
    return f"{deadline.subject}: {PHRASES[kind].format(on=deadline.on.isoformat())}"
