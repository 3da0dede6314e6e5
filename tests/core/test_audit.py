"""The audit trail: written for every change, never editable, no secrets copied."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from registry.blueprints.auth.models import User
from registry.core import audit
from registry.core.audit import AppendOnly, AuditActorMissing, AuditEvent
from tests.factories import AgencyFactory, UserFactory


def events(session, object_type, object_id=None):
    stmt = sa.select(AuditEvent).where(AuditEvent.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == str(object_id))
    return session.scalars(stmt.order_by(AuditEvent.id)).all()


def test_change_without_an_actor_is_refused(session):
    session.info.pop("audit_actor")
    session.add(AgencyFactory.build())
    with pytest.raises(AuditActorMissing):
        session.flush()
    session.rollback()


def test_create_update_delete_each_write_an_event(session):
    agency = AgencyFactory(name="Before")
    audit.act_as(UserFactory(role="unodc"), "typo in the name")
    agency.name = "After"
    session.flush()
    session.delete(agency)
    session.flush()
    recorded = events(session, "Agency", agency.id)
    assert [e.action for e in recorded] == ["create", "update", "delete"]
    assert recorded[1].changes == {"name": ["Before", "After"]}
    assert recorded[1].reason == "typo in the name"
    assert recorded[2].changes["name"] == ["After", None]


def test_password_hashes_are_never_copied_into_the_log(login, users, session):
    target = users["focal_point"]
    login(users["admin"]).post(
        f"/admin/users/{target.id}/reset-password",
        data={"reset-password": "a new temporary pass", "reset-reason": "forgotten"},
    )
    for event in events(session, "User", target.id):
        assert "$argon2" not in str(event.changes)
    change = events(session, "User", target.id)[-1]
    assert change.changes["password_hash"] == [audit.NOT_SHOWN, audit.NOT_SHOWN]
    assert change.reason == "forgotten" and change.actor_label == users["admin"].email


def test_orm_refuses_to_edit_or_delete_an_event(session):
    audit.record(audit.SYSTEM, "export", "Agency", details={"rows": 3})
    session.flush()
    event = events(session, "Agency")[-1]
    event.action = "read"
    with pytest.raises(AppendOnly):
        session.flush()
    session.rollback()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"]
)
def test_database_refuses_to_edit_or_delete_events(session, statement):
    audit.record(audit.SYSTEM, "export", "Agency")
    session.flush()
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(sa.text(statement))


def test_audit_log_page_filters_by_object(login, users, session):
    agency = AgencyFactory(name="Filtered agency")
    UserFactory(email="someone@registry.example.org")
    page = login(users["auditor"]).get(f"/admin/audit?object_type=Agency&object_id={agency.id}")
    text = page.get_data(as_text=True)
    assert "Filtered agency" in text and "someone@registry.example.org" not in text


def test_audit_log_shows_empty_state(login, users, session):
    page = login(users["admin"]).get("/admin/audit?object_type=Nothing")
    assert "No events match" in page.get_data(as_text=True)


def test_users_have_no_route_that_edits_events(app):
    for rule in app.url_map.iter_rules():
        assert not (
            rule.rule.startswith("/admin/audit")
            and rule.methods & {"POST", "PATCH", "DELETE", "PUT"}
        )


def test_user_count_is_unchanged_by_reading_log(login, users, session):
    before = session.scalar(sa.select(sa.func.count()).select_from(User))
    login(users["auditor"]).get("/admin/audit")
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == before
