"""Reminders: who is told what, once, in the registry and by real SMTP (aiosmtpd on loopback)."""

import pytest
import sqlalchemy as sa

from registry.blueprints.jits import services as jits
from registry.blueprints.mla import services as mla
from registry.blueprints.notifications import services
from registry.blueprints.notifications.models import Notification
from registry.blueprints.training import services as training
from registry.core.settings import Setting
from registry.extensions import db
from tests.factories import UserFactory
from tests.fixtures.clock import TODAY
from tests.fixtures.smtp import free_port
from tests.mla.helpers import make_request
from tests.notifications.helpers import (
    active_team,
    days,
    meeting_with_item,
    notifications_of,
    overdue_request,
)
from tests.training.helpers import make_person, make_training


@pytest.fixture
def people(users):
    """The Cambodian focal point of `users`, focal points of Thailand and Viet Nam."""
    return {
        "khm": users["focal_point"],
        "tha": UserFactory(role="focal_point", country_code="THA"),
        "vnm": UserFactory(role="focal_point", country_code="VNM"),
    }


def body(message):
    return message.get_body(("plain",)).get_content()


def html(message):
    return message.get_body(("html",)).get_content()


def test_one_mail_names_the_overdue_request_and_the_expired_team_and_a_second_run_sends_nothing(
    app, users, people, smtp_server, login
):
    admin = users["admin"]
    request = overdue_request(admin, summary="Victim V. Secret, born 1990, in Poipet")
    team = active_team(admin, planned_end=TODAY - days(10))

    first = services.run(TODAY)

    [mail] = smtp_server.to(people["khm"].email)
    for text in (body(mail), html(mail)):
        assert request.reference in text and team.name in text
        assert "Cambodia → Thailand" in text
        assert "Victim" not in text and "Poipet" not in text  # no case details leave by mail
    assert mail["Subject"] == "Cooperation Registry: 3 reminders"  # sent, unanswered, team
    page = login(people["khm"]).get("/notifications/").get_data(as_text=True)
    assert request.reference in page and team.name in page
    assert len(smtp_server.to(people["tha"].email)) == 1  # the other side of both

    second = services.run(TODAY)

    assert (second.notifications, second.mails_sent) == (0, 0)
    assert len(smtp_server.messages) == first.mails_sent == 2


def test_viet_nams_focal_point_is_told_nothing_of_a_cambodia_thailand_request(
    app, users, people, smtp_server
):
    overdue_request(users["admin"])
    active_team(users["admin"], planned_end=TODAY - days(10))
    services.run(TODAY)
    assert notifications_of(people["vnm"]) == []
    assert smtp_server.to(people["vnm"].email) == []
    assert len(notifications_of(people["khm"])) == len(notifications_of(people["tha"])) == 3


def test_without_a_mail_server_reminders_are_in_the_registry_only(users, people):
    request = overdue_request(users["admin"])
    result = services.run(TODAY)
    assert (result.notifications, result.mails_sent, result.mails_failed) == (4, 0, 0)
    states = db.session.scalars(sa.select(Notification.mail_state)).all()
    assert states == ["in_app"] * 4
    assert ("mla_unanswered", request.id) in notifications_of(people["khm"])


def test_a_mail_server_that_is_down_leaves_the_reminders_pending_until_the_next_run(
    app, users, people, smtp_server
):
    request = overdue_request(users["admin"])
    working = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=free_port(), MAIL_TIMEOUT_SECONDS=2)
    try:
        down = services.run(TODAY)
    finally:
        app.config.update(MAIL_PORT=working, MAIL_TIMEOUT_SECONDS=10)
    assert (down.notifications, down.mails_sent, down.mails_failed) == (4, 0, 2)
    assert set(db.session.scalars(sa.select(Notification.mail_state))) == {"pending"}
    assert ("mla_unanswered", request.id) in notifications_of(people["khm"])

    up = services.run(TODAY)

    assert (up.notifications, up.mails_sent, up.mails_failed) == (0, 2, 0)
    [mail] = smtp_server.to(people["khm"].email)
    assert request.reference in body(mail)


def test_no_mail_for_who_chose_none_but_the_notifications_stay(users, people, smtp_server, login):
    people["khm"].reminder_mail = "off"
    request = overdue_request(users["admin"])
    services.run(TODAY)
    assert smtp_server.to(people["khm"].email) == []
    assert len(smtp_server.to(people["tha"].email)) == 1
    assert request.reference in login(people["khm"]).get("/notifications/").get_data(as_text=True)


def test_immediate_mail_at_each_run_daily_digest_once_a_day(users, people, smtp_server):
    people["khm"].reminder_mail = "immediate"  # Thailand's keeps the default, a daily digest
    overdue_request(users["admin"])
    services.run(TODAY)
    later = overdue_request(users["admin"])  # recorded later that day: due at once

    services.run(TODAY)

    assert [later.reference in body(m) for m in smtp_server.to(people["khm"].email)] == [
        False,
        True,
    ]
    [digest] = smtp_server.to(people["tha"].email)
    assert later.reference not in body(digest)

    services.run(TODAY + days(1))

    tomorrow = smtp_server.to(people["tha"].email)[1]
    assert later.reference in body(tomorrow) and len(smtp_server.to(people["khm"].email)) == 2


def test_mail_links_to_the_records_at_the_registrys_address(app, users, people, smtp_server):
    request = overdue_request(users["admin"])
    app.config["BASE_URL"] = "https://registry.example.org/cr"
    try:
        services.run(TODAY)
    finally:
        app.config["BASE_URL"] = ""
    [mail] = smtp_server.to(people["khm"].email)
    assert f"https://registry.example.org/cr/mla/{request.id}" in body(mail)
    assert 'href="https://registry.example.org/cr/auth/account"' in html(mail)


# -- the rules' edges ----------------------------------------------------------------------


def kinds(user):
    return sorted({kind for kind, _ in notifications_of(user)})


@pytest.mark.parametrize(
    "age, urgency, wanted",
    [
        (30, "routine", []),  # sent 30 days ago: not yet "after 30 days"
        (31, "routine", ["mla_unacknowledged"]),
        (45, "urgent", ["mla_unacknowledged"]),
        (46, "urgent", ["mla_unacknowledged", "mla_unanswered"]),  # urgent: after 45 days
        (90, "routine", ["mla_unacknowledged"]),
        (91, "routine", ["mla_unacknowledged", "mla_unanswered"]),  # overdue: after 90 days
    ],
)
def test_mla_reminders_follow_the_thresholds(users, people, age, urgency, wanted):
    make_request(users["admin"], sent=TODAY - days(age), urgency=urgency)
    services.record_due(TODAY)
    assert kinds(people["khm"]) == kinds(people["tha"]) == wanted


def test_an_acknowledged_request_is_reminded_only_when_unanswered(users, people):
    request = make_request(users["admin"], sent=TODAY - days(100))
    mla.record_status(users["admin"], request, "acknowledged", TODAY - days(60), today=TODAY)
    answered = make_request(users["admin"], sent=TODAY - days(100), final=TODAY - days(1))
    services.record_due(TODAY)
    assert notifications_of(people["khm"]) == [("mla_unanswered", request.id)]
    assert answered.id not in [subject for _, subject in notifications_of(people["khm"])]


def test_thresholds_stored_under_settings_win_over_the_defaults(session, users, people):
    make_request(users["admin"], sent=TODAY - days(12))
    session.add(Setting(key="MLA_ACK_REMINDER_DAYS", value=10))
    session.flush()
    services.record_due(TODAY)
    assert kinds(people["khm"]) == ["mla_unacknowledged"]


def test_team_ends_within_thirty_days_or_passed(users, people):
    admin = users["admin"]
    soon = active_team(admin, planned_end=TODAY + days(30))
    active_team(admin, planned_end=TODAY + days(31))  # not yet
    passed = active_team(admin, planned_end=TODAY - days(1))
    ended = active_team(admin, planned_end=TODAY - days(5))
    jits.update_jit(
        admin, ended, {"actual_end": TODAY - days(5)}, ended.version, reason="operation over"
    )
    extended = active_team(admin, planned_end=TODAY - days(5))
    jits.add_extension(admin, extended, {"date": TODAY - days(20), "new_end": TODAY + days(90)})
    other = active_team(admin, planned_end=TODAY - days(1), members=("IDN", "MYS"))
    services.record_due(TODAY)
    assert notifications_of(people["khm"]) == [("jit_ending", soon.id), ("jit_past_end", passed.id)]
    assert other.id not in [subject for _, subject in notifications_of(people["khm"])]


def test_action_items_due_within_seven_days_or_overdue_go_to_the_owner_country(users, people):
    admin = users["admin"]
    _, due = meeting_with_item(admin, TODAY + days(7))
    meeting_with_item(admin, TODAY + days(8))  # not yet
    _, late = meeting_with_item(admin, TODAY - days(3))
    _, thai = meeting_with_item(admin, TODAY - days(3), owner="THA")
    services.record_due(TODAY)
    assert notifications_of(people["khm"]) == [
        ("action_item_due", due.id),
        ("action_item_overdue", late.id),
    ]
    assert notifications_of(people["tha"]) == [("action_item_overdue", thai.id)]


def test_missing_post_tests_fourteen_days_after_a_training_go_to_its_organiser(users, people):
    unodc = users["unodc"]
    course = make_training(
        unodc, start_date=TODAY - days(20), end_date=TODAY - days(14), title="OSINT basics"
    )
    recent = make_training(unodc, start_date=TODAY - days(15), end_date=TODAY - days(13))
    scored = make_training(unodc, start_date=TODAY - days(30), end_date=TODAY - days(28))
    for number, each in enumerate((course, recent, scored)):
        person = make_person(unodc, name=f"Trainee {number}")
        post = 70 if each is scored else None
        training.add_participation(unodc, each, person, {"pre_score": 40, "post_score": post})
    services.record_due(TODAY)
    # The organiser: the training's country focal points and the account that recorded it.
    assert notifications_of(people["khm"]) == [("training_post_test", course.id)]
    assert notifications_of(unodc) == [("training_post_test", course.id)]
    assert notifications_of(people["tha"]) == [] and notifications_of(users["admin"]) == []
    [text] = db.session.scalars(
        sa.select(Notification.text).where(Notification.recipient_id == unodc.id)
    )
    assert "OSINT basics" in text and "1 participant without a post-test" in text


def test_inactive_accounts_and_other_roles_are_told_nothing(users, people):
    people["tha"].active = False
    overdue_request(users["admin"])
    services.record_due(TODAY)
    assert notifications_of(people["tha"]) == []
    for role in ("admin", "unodc", "official", "auditor"):
        assert notifications_of(users[role]) == []


# -- the notifications pages and API --------------------------------------------------------


def test_the_bell_counts_unread_and_the_page_lists_newest_first_with_links(users, people, login):
    first = overdue_request(users["admin"])
    services.record_due(TODAY - days(1))
    second = active_team(users["admin"], planned_end=TODAY + days(3))
    services.record_due(TODAY)
    browser = login(people["khm"])
    page = browser.get("/notifications/").get_data(as_text=True)
    assert 'aria-label="Notifications, 3 unread"' in page
    assert page.index(second.name) < page.index(first.reference)
    assert f'href="/jits/{second.id}"' in page and f'href="/mla/{first.id}"' in page

    [mine] = db.session.scalars(
        sa.select(Notification.id).where(
            Notification.recipient_id == people["khm"].id, Notification.kind == "jit_ending"
        )
    )
    assert browser.post(f"/notifications/{mine}/read").status_code == 302
    assert 'aria-label="Notifications, 2 unread"' in browser.get("/notifications/").get_data(
        as_text=True
    )
    assert browser.post("/notifications/read-all").status_code == 302
    page = browser.get("/notifications/").get_data(as_text=True)
    assert 'aria-label="Notifications"' in page and "unread" not in page.split("</header>")[0]


def test_marking_someone_elses_notification_read_is_404_and_changes_nothing(users, people, login):
    overdue_request(users["admin"])
    services.record_due(TODAY)
    [theirs] = db.session.scalars(
        sa.select(Notification.id).where(Notification.recipient_id == people["tha"].id).limit(1)
    )
    assert login(people["khm"]).post(f"/notifications/{theirs}/read").status_code == 404
    assert db.session.get(Notification, theirs).read_at is None
    assert login(people["khm"]).post("/notifications/999999/read").status_code == 404


def test_api_lists_the_callers_own_notifications_in_the_list_envelope(users, people, api):
    request = overdue_request(users["admin"])
    services.record_due(TODAY)
    caller = api(people["khm"])
    answer = caller.get("/api/v1/notifications?per_page=1").get_json()
    assert (answer["total"], answer["page"], answer["per_page"], len(answer["items"])) == (
        2,
        1,
        1,
        1,
    )
    both = caller.get("/api/v1/notifications").get_json()["items"]
    assert {(n["kind"], n["record_type"], n["record_id"]) for n in both} == {
        ("mla_unacknowledged", "mla_request", request.id),
        ("mla_unanswered", "mla_request", request.id),
    }
    assert {n["url"] for n in both} == {f"/mla/{request.id}"}
    assert all(n["read_at"] is None and request.reference in n["text"] for n in both)
    assert api(people["vnm"]).get("/api/v1/notifications").get_json()["total"] == 0
    services.mark_all_read(people["khm"])
    assert caller.get("/api/v1/notifications?unread=true").get_json()["total"] == 0


@pytest.mark.parametrize("query", ["per_page=0", "per_page=101", "page=0", "unread=maybe"])
def test_api_refuses_bad_list_parameters(users, api, query):
    response = api(users["focal_point"]).get(f"/api/v1/notifications?{query}")
    assert response.status_code == 422 and "errors" in response.get_json()


def test_a_notification_about_a_record_out_of_sight_disappears_and_its_link_is_404(
    users, people, login
):
    admin = users["admin"]
    team = active_team(admin, planned_end=TODAY - days(2))
    services.record_due(TODAY)
    browser = login(people["khm"])
    assert team.name in browser.get("/notifications/").get_data(as_text=True)
    jits.update_jit(
        admin,
        team,
        {"member_countries": ["THA", "LAO"], "lead_country": "THA"},
        team.version,
        reason="Cambodia left the team",
    )
    db.session.commit()
    page = browser.get("/notifications/").get_data(as_text=True)
    assert team.name not in page and 'aria-label="Notifications"' in page
    assert browser.get(f"/jits/{team.id}").status_code == 404
    assert team.name in login(people["tha"]).get("/notifications/").get_data(as_text=True)
