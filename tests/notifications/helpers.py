"""Records with deadlines, built through the services, relative to the suite's TODAY."""

from datetime import timedelta

import sqlalchemy as sa

from registry.blueprints.jits import services as jits
from registry.blueprints.meetings import services as meetings
from registry.blueprints.notifications.models import Notification
from registry.extensions import db
from tests.fixtures.clock import TODAY
from tests.jits.helpers import jit_data
from tests.mla.helpers import make_request


def days(n):
    return timedelta(days=n)


def overdue_request(actor, **overrides):
    """A Cambodia → Thailand request sent 120 days ago and never answered."""
    return make_request(actor, sent=TODAY - days(120), **overrides)


def active_team(actor, planned_end, members=("KHM", "THA"), **overrides):
    """An active team of `members` whose planned end is `planned_end`."""
    jit = jits.create_jit(
        actor,
        jit_data(
            member_countries=list(members),
            lead_country=members[0],
            agreement_signed=TODAY - days(400),
            planned_end=planned_end,
            **overrides,
        ),
    )
    jits.change_status(actor, jit, "active")
    return jit


def meeting_with_item(actor, due, owner="KHM", countries=("KHM", "THA")):
    meeting = meetings.create_meeting(
        actor,
        {
            "type": "police_to_police",
            "title": f"Border meeting {owner} {due}",
            "date": TODAY - days(30),
            "countries": list(countries),
            "participants_female": 3,
            "participants_male": 4,
        },
    )
    item = meetings.add_action_item(
        actor,
        meeting,
        {"owner_country": owner, "description": "Share the suspects' list", "due_date": due},
    )
    return meeting, item


def notifications_of(user):
    """(kind, subject id) of every notification the user was given, in id order."""
    return db.session.execute(
        sa.select(Notification.kind, Notification.subject_id)
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.id)
    ).all()
