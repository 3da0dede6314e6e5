"""Admin pages: create, edit, deactivate and reset accounts; thresholds."""

import sqlalchemy as sa

from registry.blueprints.auth.models import User
from registry.core import settings
from registry.core.audit import AuditEvent


def count_users(session):
    return session.scalar(sa.select(sa.func.count()).select_from(User))


def test_admin_creates_focal_point_who_must_change_password(login, users, session):
    response = login(users["admin"]).post(
        "/admin/users/new",
        data={
            "email": "new.fp@registry.example.org",
            "role": "focal_point",
            "country": "IDN",
            "password": "temporary password",
        },
    )
    assert response.status_code == 302
    user = session.scalars(sa.select(User).where(User.email == "new.fp@registry.example.org")).one()
    assert (user.role, user.country_code, user.must_change_password) == ("focal_point", "IDN", True)


def test_create_refuses_bad_input_with_field_messages(login, users, session):
    before = count_users(session)
    response = login(users["admin"]).post(
        "/admin/users/new",
        data={"email": "not-an-email", "role": "focal_point", "country": "", "password": "short"},
    )
    text = response.get_data(as_text=True)
    assert "A focal point must be bound to one country." in text
    assert "Use at least 12 characters." in text
    assert "email" in text.lower()
    assert count_users(session) == before


def test_admin_cannot_demote_or_deactivate_themselves(login, users, session):
    admin = users["admin"]
    browser = login(admin)
    demote = browser.post(
        f"/admin/users/{admin.id}", data={"role": "unodc", "country": "", "name": "x"}
    )
    assert "cannot remove your own administrator role" in demote.get_data(as_text=True)
    browser.post(f"/admin/users/{admin.id}/active", data={"activate": "0", "active-reason": "test"})
    session.expire_all()
    assert (
        session.get(User, admin.id).active is True and session.get(User, admin.id).role == "admin"
    )


def test_deactivation_needs_a_reason_and_is_audited(login, users, session):
    target = users["auditor"]
    browser = login(users["admin"])
    browser.post(f"/admin/users/{target.id}/active", data={"activate": "0", "active-reason": ""})
    session.expire_all()
    assert session.get(User, target.id).active is True
    browser.post(
        f"/admin/users/{target.id}/active",
        data={"activate": "0", "active-reason": "contract ended"},
    )
    session.expire_all()
    assert session.get(User, target.id).active is False
    event = session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "User", AuditEvent.object_id == str(target.id))
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes["active"] == [True, False] and event.reason == "contract ended"


def test_changing_scope_edits_role_and_country(login, users, session):
    target = users["official"]
    login(users["admin"]).post(
        f"/admin/users/{target.id}", data={"role": "focal_point", "country": "MYS", "name": "N"}
    )
    session.expire_all()
    assert (session.get(User, target.id).role, session.get(User, target.id).country_code) == (
        "focal_point",
        "MYS",
    )


def test_user_list_filters(login, users, session):
    text = login(users["admin"]).get("/admin/users?role=focal_point").get_data(as_text=True)
    assert users["focal_point"].email in text and users["auditor"].email not in text


def test_thresholds_change_with_reason_and_range_checks(login, users, session):
    browser = login(users["admin"])
    shown = settings.current_values()  # the form as the page fills it
    bad = browser.post("/admin/settings", data={**shown, "MLA_OVERDUE_DAYS": 0, "reason": "x"})
    assert bad.status_code == 200 and settings.get("MLA_OVERDUE_DAYS") == 90
    browser.post(
        "/admin/settings",
        data={
            **shown,
            "MLA_OVERDUE_DAYS": 60,
            "IMPROVEMENT_THRESHOLD": 15,
            "reason": "SOMTC decision",
        },
    )
    assert settings.get("MLA_OVERDUE_DAYS") == 60 and settings.get("IMPROVEMENT_THRESHOLD") == 15
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "Setting")
    ).first()
    assert event.reason == "SOMTC decision"
