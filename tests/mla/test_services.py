"""MLA lifecycle rules: creation, transitions and their refusals, the kept status columns."""

from datetime import date, timedelta

import pytest

from registry.blueprints.mla import services
from registry.blueprints.mla.models import MlaStatusChange
from registry.core.errors import Forbidden, ValidationFailed
from tests.mla.helpers import TODAY, make_request, request_data


def test_created_with_date_sent_is_sent_on_that_date(users):
    req = make_request(users["admin"], sent=date(2026, 3, 1))
    assert (req.status, req.date_sent) == ("sent", date(2026, 3, 1))
    assert [(c.status, c.date) for c in req.history] == [("sent", date(2026, 3, 1))]


def test_created_without_date_is_a_draft(users):
    req = make_request(users["admin"])
    assert (req.status, req.date_sent) == ("draft", None)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"requested_country": "KHM"}, "requested_country"),
        ({"requesting_country": "XXX"}, "requesting_country"),
        ({"reference": "  "}, "reference"),
        ({"assistance_types": []}, "assistance_types"),
        ({"assistance_types": ["torture"]}, "assistance_types"),
        ({"legal_basis": "nonsense"}, "legal_basis"),
        ({"crime_type": "fraud"}, "crime_type"),
        ({"date_sent": TODAY + timedelta(days=1)}, "date_sent"),
        ({"requested_authority_id": 999999}, "requested_authority_id"),
    ],
)
def test_bad_fields_are_named(users, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        services.create_request(users["admin"], request_data(**overrides), TODAY)
    assert field in caught.value.errors


def test_duplicate_reference_refused(users):
    make_request(users["admin"], reference="KH-1")
    with pytest.raises(ValidationFailed) as caught:
        make_request(users["admin"], reference="KH-1")
    assert "reference" in caught.value.errors


def test_focal_point_must_be_a_party(users):
    with pytest.raises(Forbidden):
        services.create_request(
            users["focal_point"],
            request_data(requesting_country="IDN", requested_country="MYS"),
            TODAY,
        )
    req = services.create_request(
        users["focal_point"], request_data(requesting_country="THA", requested_country="KHM"), TODAY
    )
    assert req.requested_country == "KHM"


def test_lifecycle_moves_forward_and_keeps_history(users):
    admin = users["admin"]
    req = make_request(admin, sent=date(2026, 1, 10))
    services.record_status(admin, req, "received", date(2026, 1, 15), today=TODAY)
    services.record_status(admin, req, "in_execution", date(2026, 2, 1), today=TODAY)
    services.record_status(
        admin, req, "partially_executed", date(2026, 4, 1), note="bank records only", today=TODAY
    )
    assert (req.status, req.final_date, req.turnaround_days) == (
        "partially_executed",
        date(2026, 4, 1),
        81,
    )
    assert [c.status for c in req.history] == [
        "sent",
        "received",
        "in_execution",
        "partially_executed",
    ]


@pytest.mark.parametrize(
    "status, on, field",
    [
        ("acknowledged", date(2026, 1, 5), "date"),  # before sending
        ("received", TODAY + timedelta(days=1), "date"),  # future
        ("draft", date(2026, 2, 1), "status"),  # backwards
        ("sent", date(2026, 2, 1), "status"),  # already sent
        ("refused", date(2026, 2, 1), "ground"),  # no ground
        ("teleported", date(2026, 2, 1), "status"),
    ],
)
def test_transition_refusals(users, status, on, field):
    req = make_request(users["admin"], sent=date(2026, 1, 10))
    with pytest.raises(ValidationFailed) as caught:
        services.record_status(users["admin"], req, status, on, today=TODAY)
    assert field in caught.value.errors
    assert req.status == "sent" and len(req.history) == 1


def test_date_cannot_precede_previous_change(users):
    admin = users["admin"]
    req = make_request(admin, sent=date(2026, 1, 10))
    services.record_status(admin, req, "received", date(2026, 2, 1), today=TODAY)
    with pytest.raises(ValidationFailed, match="not recorded") as caught:
        services.record_status(admin, req, "in_execution", date(2026, 1, 20), today=TODAY)
    assert "2026-02-01" in caught.value.errors["date"][0]


def test_draft_can_only_be_sent_or_withdrawn(users):
    req = make_request(users["admin"])
    assert services.allowed_next(req.status) == ["sent", "withdrawn"]
    with pytest.raises(ValidationFailed):
        services.record_status(users["admin"], req, "executed", TODAY, today=TODAY)
    services.record_status(users["admin"], req, "sent", TODAY - timedelta(days=2), today=TODAY)
    assert req.date_sent == TODAY - timedelta(days=2)


def test_final_state_reopens_only_with_reason(users):
    admin = users["admin"]
    req = make_request(
        admin, sent=date(2026, 1, 10), final=date(2026, 3, 1), final_status="refused"
    )
    with pytest.raises(ValidationFailed) as caught:
        services.record_status(admin, req, "in_execution", date(2026, 3, 5), today=TODAY)
    assert "reason" in caught.value.errors
    services.record_status(
        admin, req, "in_execution", date(2026, 3, 5), reason="new information", today=TODAY
    )
    assert (req.status, req.final_date, req.turnaround_days) == ("in_execution", None, None)
    services.record_status(admin, req, "executed", date(2026, 5, 1), today=TODAY)
    assert req.turnaround_days == (date(2026, 5, 1) - date(2026, 1, 10)).days


def test_unodc_records_status_but_does_not_edit_details(users):
    req = make_request(users["admin"], sent=date(2026, 1, 10))
    services.record_status(users["unodc"], req, "received", date(2026, 1, 12), today=TODAY)
    assert req.status == "received"
    with pytest.raises(Forbidden):
        services.update_request(users["unodc"], req, {"summary": "x"}, req.version, "because")


def test_auditor_and_other_country_cannot_record_status(users):
    from tests.factories import UserFactory

    req = make_request(users["admin"], sent=date(2026, 1, 10))
    for actor in (users["auditor"], UserFactory(role="focal_point", country_code="VNM")):
        with pytest.raises(Forbidden):
            services.record_status(actor, req, "received", date(2026, 1, 12), today=TODAY)


def test_kept_columns_match_history(users, session):
    admin = users["admin"]
    req = make_request(admin, sent=date(2026, 1, 10), final=date(2026, 2, 10))
    latest = (
        session.query(MlaStatusChange)
        .filter_by(mla_request_id=req.id)
        .order_by(MlaStatusChange.id.desc())
        .first()
    )
    assert (req.status, req.final_date) == (latest.status, latest.date)
