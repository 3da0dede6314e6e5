"""The account page (reminders by mail, calendar address) and the calendar feed itself."""

import re

import icalendar
import sqlalchemy as sa

from registry.blueprints.auth import services as accounts
from registry.blueprints.auth.models import CalendarFeed, User
from registry.core.audit import AuditEvent
from registry.extensions import db
from tests.factories import UserFactory
from tests.fixtures.clock import TODAY
from tests.notifications.helpers import active_team, days, meeting_with_item, overdue_request


def feed_url(page):
    """The calendar address the account page shows once."""
    marker = 'id="feed-url" type="text" readonly value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def events(response):
    calendar = icalendar.Calendar.from_ical(response.data)
    return {
        (str(event["summary"]), event.decoded("dtstart"), str(event["url"]))
        for event in calendar.walk("VEVENT")
    }


def test_reminder_mail_choice_is_saved_audited_and_bad_input_refused(users, login, session):
    user = users["focal_point"]
    browser = login(user)
    page = browser.get("/auth/account").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="daily"', page)
    bad = browser.post("/auth/account", data={"reminder_mail": "hourly"})
    assert bad.status_code == 422 and "Not a valid choice" in bad.get_data(as_text=True)
    assert db.session.get(User, user.id).reminder_mail == "daily"
    assert browser.post("/auth/account", data={"reminder_mail": "off"}).status_code == 302
    session.expire_all()
    assert session.get(User, user.id).reminder_mail == "off"
    event = session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "User", AuditEvent.object_id == str(user.id))
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes["reminder_mail"] == ["daily", "off"]


def test_the_calendar_lists_the_deadlines_in_scope_without_a_session(app, users, login, client):
    admin = users["admin"]
    request = overdue_request(admin)
    team = active_team(admin, planned_end=TODAY + days(40))
    meeting, _item = meeting_with_item(admin, TODAY + days(5))
    elsewhere = active_team(admin, planned_end=TODAY + days(40), members=("IDN", "MYS"))
    page = login(users["focal_point"]).post("/auth/account/calendar").get_data(as_text=True)
    url = feed_url(page)
    assert url.startswith("http://localhost/notifications/feed/crf_") and url.endswith(".ics")

    response = client.get(url.removeprefix("http://localhost"))  # no one signed in

    assert response.status_code == 200 and response.mimetype == "text/calendar"
    sent = request.date_sent
    assert events(response) == {
        (
            f"Acknowledgement due: MLA request {request.reference} (Cambodia → Thailand, "
            f"sent {sent})",
            sent + days(30),
            f"http://localhost/mla/{request.id}",
        ),
        (
            f"Final answer due: MLA request {request.reference} (Cambodia → Thailand, sent {sent})",
            sent + days(90),
            f"http://localhost/mla/{request.id}",
        ),
        (
            f"Planned end: JIT {team.name} (Cambodia, Thailand)",
            TODAY + days(40),
            f"http://localhost/jits/{team.id}",
        ),
        (
            f"Action item due: Action item for Cambodia from the meeting “{meeting.title}” "
            f"({meeting.date})",
            TODAY + days(5),
            f"http://localhost/meetings/{meeting.id}",
        ),
    }
    assert elsewhere.name not in response.get_data(as_text=True)
    unodc = UserFactory(role="unodc")
    token = accounts.create_feed(unodc, unodc)
    assert elsewhere.name in client.get(f"/notifications/feed/{token}.ics").get_data(as_text=True)


def test_a_new_address_replaces_the_old_and_a_stopped_one_answers_404(users, login, client):
    browser = login(users["focal_point"])
    old = feed_url(browser.post("/auth/account/calendar").get_data(as_text=True))
    new = feed_url(browser.post("/auth/account/calendar").get_data(as_text=True))
    path = new.removeprefix("http://localhost")
    assert client.get(old.removeprefix("http://localhost")).status_code == 404
    assert client.get(path).status_code == 200
    assert browser.post("/auth/account/calendar/revoke").status_code == 302
    assert client.get(path).status_code == 404
    assert client.get("/notifications/feed/crf_not-a-token.ics").status_code == 404
    stored = db.session.scalars(sa.select(CalendarFeed.token_hash)).all()
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(stored) == 2 and token not in stored and all(len(h) == 64 for h in stored)


def test_a_deactivated_accounts_calendar_answers_404(users, client):
    user = users["focal_point"]
    token = accounts.create_feed(user, user)
    assert client.get(f"/notifications/feed/{token}.ics").status_code == 200
    accounts.set_active(users["admin"], user, False, "left the unit")
    assert client.get(f"/notifications/feed/{token}.ics").status_code == 404


def test_an_officials_calendar_has_no_case_deadlines(users, client):
    overdue_request(users["admin"], requesting_country="THA", requested_country="KHM")
    official = users["official"]
    token = accounts.create_feed(official, official)
    response = client.get(f"/notifications/feed/{token}.ics")
    assert response.status_code == 200 and events(response) == set()
