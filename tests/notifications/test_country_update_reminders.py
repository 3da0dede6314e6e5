"""The reminder of a meeting's country updates: N days before the meeting, to the focal points
of the participating countries that have not submitted, once; none after the meeting."""

import pytest
import sqlalchemy as sa

from registry.blueprints.meetings import services as meetings
from registry.blueprints.meetings import updates
from registry.blueprints.notifications import services
from registry.blueprints.notifications.models import Notification
from registry.core.settings import Setting
from registry.extensions import db
from tests.factories import UserFactory
from tests.fixtures.clock import TODAY
from tests.notifications.helpers import days, notifications_of

TEXT = {"successes": "a", "challenges": "b", "next_steps": "c", "status": "submitted"}


@pytest.fixture
def focal(users):
    return {
        "KHM": users["focal_point"],
        "THA": UserFactory(role="focal_point", country_code="THA"),
        "LAO": UserFactory(role="focal_point", country_code="LAO"),
        "VNM": UserFactory(role="focal_point", country_code="VNM"),
    }


def somtc(actor, on, kind="somtc"):
    return meetings.create_meeting(
        actor,
        {"type": kind, "title": f"SOMTC {on}", "date": on, "countries": ["KHM", "LAO", "THA"]},
    )


def kinds(user):
    return [n.kind for n in notifications_of(user)]


def test_told_n_days_before_only_the_countries_that_have_not_submitted(users, focal):
    db.session.add(Setting(key="COUNTRY_UPDATE_REMINDER_DAYS", value=10))
    meeting = somtc(users["unodc"], TODAY + days(10))
    updates.save(focal["THA"], meeting, TEXT)
    updates.save(focal["LAO"], meeting, {**TEXT, "status": "draft"})  # a draft is not enough
    db.session.commit()

    services.run(TODAY - days(1))
    assert kinds(focal["KHM"]) == []  # eleven days before: not yet

    services.run(TODAY)
    assert kinds(focal["KHM"]) == kinds(focal["LAO"]) == ["country_update_missing"]
    assert kinds(focal["THA"]) == [] and kinds(focal["VNM"]) == []
    [note] = db.session.scalars(
        sa.select(Notification).where(Notification.recipient_id == focal["KHM"].id)
    ).all()
    assert note.due_on == TODAY and note.target_id == meeting.id
    assert meeting.title in note.text and "not submitted" in note.text

    services.run(TODAY + days(1))  # the next day: no second reminder of the same deadline
    assert len(notifications_of(focal["KHM"])) == 1


def test_no_reminder_after_the_meeting_nor_for_meetings_without_updates(users, focal):
    somtc(users["unodc"], TODAY - days(1))
    meetings.create_meeting(
        users["unodc"],
        {
            "type": "police_to_police",
            "title": "Bilateral",
            "date": TODAY + days(3),
            "countries": ["KHM", "THA"],
        },
    )
    db.session.commit()
    services.run(TODAY)
    count = db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.kind == "country_update_missing"
        )
    )
    assert count == 0
