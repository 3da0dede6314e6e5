"""Every route that names a record, every role let in, on a record of the caller's country and
on one of another country (tests/fixtures/records.py), against the record scope in
tests/policy.py (RECORD_SCOPE), not the views' own rules.

- A read answers the real page, file or JSON of that record (200) where the scope lets the
  caller see it, and 404 where it does not (never saying that the record exists).
- A write by the focal point of Cambodia to the other country's record is refused (404, or 403
  where the role itself may not write) and saves nothing: no row, no version, no audit event.
- A valid write to the caller's own record reaches the view's logic and saves the change.

test_route_permissions.py checks the role gate of every route; this file checks what lies
behind it. The API is called with bearer tokens (`api`). The valid writes sign in through the
sign-in form (`login`); the reads and the refused writes, a few hundred sign-ins, with
`login_session` (see its docstring: each form sign-in verifies an argon2 hash, slowly).
"""

import dataclasses
import io
import re
from collections.abc import Callable
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from registry import create_app
from registry.blueprints.auth.models import PasswordReset
from registry.blueprints.briefs.models import Brief
from registry.blueprints.directory.models import Authority, Requirement
from registry.blueprints.meetings import updates as meeting_updates
from registry.blueprints.meetings.models import CountryUpdate
from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.training import services as training_services
from registry.blueprints.training.models import ParticipantUpload, Participation
from registry.core.audit import AuditEvent
from registry.core.roles import ADMIN, FOCAL_POINT, UNODC
from registry.extensions import db
from tests.fixtures.clock import TODAY
from tests.fixtures.records import (
    COUNTRIES,
    COUNTRY,
    MLA_IMPORT_HEADER,
    OTHER,
    OWN,
    PARTICIPANTS,
    PARTNER,
    PLANNED_END,
    SIDES,
    Records,
)
from tests.policy import (
    ANY,
    NONE,
    OWN_COUNTRY,
    OWNER,
    OWNER_ONLY,
    PERSONAL_DATA,
    PERSONAL_DATA_READERS,
    POLICY,
    PUBLIC,
    RECORD_SCOPE,
    REGIONAL,
)
from tests.training.helpers import csv_bytes


def _rules():
    app = create_app({"DATABASE_URL": "sqlite://", "TESTING": True})
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.arguments),
        key=lambda rule: (rule.rule, rule.endpoint),
    )


RULES = _rules()
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?(\w+)>")
# The <kind> of /imports/<kind> is an importer, not a file format; a brief's PDF is there once
# the brief is made (the other brief routes take one still queued: making a PDF takes time).
NEW_PASSWORD = "quiet lanterns over the mekong"
ALIASES = {
    "imports.run": {"kind": "importer"},
    "imports.template": {"kind": "importer"},
    "briefs.pdf": {"brief_id": "finished_brief_id"},
    "api.brief_pdf": {"brief_id": "finished_brief_id"},
    "briefs.docx": {"brief_id": "finished_brief_id"},
    "api.brief_docx": {"brief_id": "finished_brief_id"},
    "auth.reset_password": {"token": "reset_token"},
}


def arguments(rule):
    """The rule's URL arguments in the order the path names them (the record last)."""
    return ARGUMENT.findall(rule.rule)


def url(records, rule, side, role):
    values = records.url_values(arguments(rule), side, role, ALIASES.get(rule.endpoint))
    return rule.build(values, append_unknown=False)[1]


def allowed(endpoint):
    access = POLICY[endpoint]
    return [None] if access == PUBLIC else sorted(access)


@pytest.fixture
def records(users):
    return Records(users)


def test_every_route_with_arguments_has_a_record_scope_and_every_argument_a_record():
    endpoints = {rule.endpoint for rule in RULES}
    assert sorted(endpoints - set(RECORD_SCOPE)) == [], "new route: add it to RECORD_SCOPE"
    assert sorted(set(RECORD_SCOPE) - endpoints) == [], "route gone: remove it from RECORD_SCOPE"
    assert set(RECORD_SCOPE.values()) <= {OWN_COUNTRY, ANY, OWNER, OWNER_ONLY, NONE}
    named = {arg for rule in RULES for arg in arguments(rule)}
    assert sorted(named - set(Records.ARGUMENTS)) == [], "new argument: build it in records.py"


def test_the_records_of_each_side_are_of_their_countries(records, users):
    """The own and other records the walker opens are what their names say."""
    mapping = records.mapping(FOCAL_POINT)
    assert set(Records.ARGUMENTS) <= set(mapping)
    for arg, values in mapping.items():
        if arg not in ("kind", "ext", "filename"):
            assert values[OWN] != values[OTHER], arg
    mla = {side: records.record("request_id", side) for side in SIDES}
    assert {side: {r.requesting_country, r.requested_country} for side, r in mla.items()} == {
        side: set(COUNTRIES[side]) for side in SIDES
    }
    for arg in ("jit_id", "meeting_id"):
        for side in SIDES:
            record = records.record(arg, side)
            countries = record.member_countries if arg == "jit_id" else record.countries
            assert set(countries) == COUNTRIES[side]
    for arg in ("training_id", "practitioner_id", "case_id", "stat_id"):
        assert [records.record(arg, side).country for side in SIDES] == ["KHM", "THA"]
    assert [records.record("agency_id", s).country_code for s in SIDES] == ["KHM", "THA"]
    assert [records.record("item_id", s).owner_country for s in SIDES] == ["KHM", "THA"]
    for arg in ("brief_id", "job_id"):
        own, other = (records.record(arg, side, FOCAL_POINT) for side in SIDES)
        assert (own.requested_by_id, other.requested_by_id) == (
            users[FOCAL_POINT].id,
            records.stranger.id,
        )
    own, other = (records.record("token_id", side, FOCAL_POINT) for side in SIDES)
    assert (own.user_id, other.user_id) == (users[FOCAL_POINT].id, records.stranger.id)
    own, other = (records.record("upload_id", side, FOCAL_POINT) for side in SIDES)
    assert (own.user_id, other.user_id) == (users[FOCAL_POINT].id, records.stranger.id)
    assert (records.stranger.role, records.stranger.country_code) == (FOCAL_POINT, "THA")


# -- reads ------------------------------------------------------------------------------------


def sees_country(role, user, side):
    """Whether the "own country" rule lets `user` see the records of `side`'s countries."""
    regional = role in REGIONAL or user.country_code is None
    return regional or user.country_code in COUNTRIES[side]


def expected_read(endpoint, role, user, side):
    """The answer the scope table gives `role` for the `side` record of `endpoint`."""
    if endpoint in PERSONAL_DATA and role not in PERSONAL_DATA_READERS:
        return 403
    scope = RECORD_SCOPE[endpoint]
    if scope == OWN_COUNTRY:
        return 200 if sees_country(role, user, side) else 404
    if scope == OWNER:
        return 200 if side == OWN or role == ADMIN else 404
    if scope == OWNER_ONLY:
        return 200 if side == OWN else 404
    return 200


FILES = {
    "text/csv": b"",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": b"PK",
    "application/pdf": b"%PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK",
    "text/css": b"",
    "text/calendar": b"BEGIN:VCALENDAR",
}


def assert_is_the_record(response, built):
    """The answer is the record's own page, JSON or file, not an error page."""
    if response.mimetype == "application/json":
        body = response.get_json()
        if isinstance(body, list):
            assert body and all(built.value in item.values() for item in body), body
        else:
            key = "code" if isinstance(built.value, str) else "id"
            assert body[key] == built.value, body
    elif response.mimetype == "text/html":
        if built.marker is not None:
            assert built.marker in response.get_data(as_text=True)
    else:
        assert response.mimetype in FILES, response.mimetype
        assert response.data and response.data.startswith(FILES[response.mimetype])


# Exports whose URL names only a format: the file holds the records of the caller's scope.
EXPORTS = {
    "jits.export": "jit_id",
    "meetings.export": "meeting_id",
    "mla.export": "request_id",
    "prosecutions.statistics_export": "stat_id",
}


# The participant lists of a training: its participant's name, or "restricted" for the roles
# that may not see personal data.
PARTICIPANT_EXPORTS = {"training.participants_csv", "training.participants_xlsx"}


def file_text(response):
    if response.mimetype == "text/csv":
        return response.get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    return "\n".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )


READS = [(rule, role) for rule in RULES if "GET" in rule.methods for role in allowed(rule.endpoint)]


@pytest.mark.parametrize(
    "rule, role", READS, ids=[f"{rule.endpoint}-{role or 'anonymous'}" for rule, role in READS]
)
def test_read_answers_the_record_in_scope_and_404_outside(
    app, users, records, login_session, api, client, rule, role
):
    if role is None:
        caller = client
    elif rule.rule.startswith("/api/"):
        caller = api(users[role])
    else:
        caller = login_session(users[role])
    exported = EXPORTS.get(rule.endpoint)
    markers = {side: records.get(exported, side).marker for side in SIDES} if exported else {}
    for side in SIDES:
        path = url(records, rule, side, role)
        response = caller.get(path)
        response.get_data()
        response.close()  # static files are streamed
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
        wanted = expected_read(rule.endpoint, role, role and users[role], side)
        assert response.status_code == wanted, (side, path, response.get_data(as_text=True)[:300])
        if wanted == 200:
            record = arguments(rule)[-1]
            built = records.get(ALIASES.get(rule.endpoint, {}).get(record, record), side, role)
            assert_is_the_record(response, built)
        if exported:
            text = file_text(response)
            for shown, marker in markers.items():
                assert (marker in text) == sees_country(role, users[role], shown), (shown, text)
        if rule.endpoint in PARTICIPANT_EXPORTS and wanted == 200:
            text = file_text(response)
            named = role in PERSONAL_DATA_READERS
            person = records.record("practitioner_id", side)
            assert (person.name in text, "restricted" in text) == (named, not named), text


# -- writes -----------------------------------------------------------------------------------


@dataclasses.dataclass
class Write:
    """A valid write to a route's record: who sends it, the body for a side's record (from the
    records and the caller's role), the answer on the caller's own record, and what the
    registry holds after it (`saved(records, response)` returns the value, `value` is wanted)."""

    role: str | None  # None: a public route, sent signed out
    body: Callable
    status: int
    saved: Callable
    value: object
    answer: tuple | None = None  # (field, value) the API answers
    files: bool = False  # a multipart form with a file


def iso(day):
    return day.isoformat()


def api_patch(arg, field, value):
    """PATCH one field of the record, with its current version and a reason."""

    def body(r, side, role):
        version = r.record(arg, side, role).version
        return {field: value, "version": version, "reason": "scope walker"}

    return Write(
        FOCAL_POINT,
        body,
        200,
        lambda r, response: getattr(fresh(r, arg), field),
        value,
        (field, value),
    )


def fresh(r, arg, role=None):
    """The record as the database holds it now."""
    record = r.record(arg, OWN, role)
    db.session.expire_all()
    return db.session.get(type(record), sa.inspect(record).identity)


def mla_form(r, side, role):
    req = r.record("request_id", side)
    return {
        "reference": req.reference,
        "requesting_country": req.requesting_country,
        "requested_country": req.requested_country,
        "requesting_authority_id": "",
        "requested_authority_id": "",
        "crime_type": req.crime_type,
        "assistance_types": req.assistance_types,
        "legal_basis": req.legal_basis,
        "channel": req.channel,
        "urgency": "urgent",
        "summary": "",
        "version": req.version,
        "reason": "court date moved",
    }


def jit_form(r, side, role):
    jit = r.record("jit_id", side)
    return {
        "name": jit.name,
        "type": jit.type,
        "member_countries": jit.member_countries,
        "lead_country": jit.lead_country,
        "legal_basis": jit.legal_basis,
        "agreement_signed": iso(jit.agreement_signed),
        "planned_end": iso(jit.planned_end),
        "arrests": 3,
        "version": jit.version,
        "reason": "quarterly figures",
    }


def meeting_form(r, side, role):
    meeting = r.record("meeting_id", side)
    return {
        "type": meeting.type,
        "title": meeting.title,
        "date": iso(meeting.date),
        "countries": meeting.countries,
        "counts_toward_2_6_1": "yes",
        "participants_female": meeting.participants_female,
        "participants_male": meeting.participants_male,
        "outcomes": "Agreed SOP",
        "version": meeting.version,
        "reason": "minutes",
    }


def item_status_form(r, side, role):
    item = r.record("item_id", side)
    prefix = f"item{item.id}-"
    return {prefix + "status": "done", prefix + "version": item.version, prefix + "reason": "sent"}


def case_form(r, side, role):
    case = r.record("case_id", side)
    return {
        "country": case.country,
        "reference": case.reference,
        "crime_type": case.crime_type,
        "exploitation_forms": case.exploitation_forms,
        "cyber_enabled": "y",
        "version": case.version,
        "reason": "new evidence",
    }


def statistic_form(r, side, role):
    statistic = r.record("stat_id", side)
    return {
        "country": statistic.country,
        "year": statistic.year,
        "metric": statistic.metric,
        "source": statistic.source,
        "total": 12,
        "female": 4,
        "male": 6,
        "version": statistic.version,
        "reason": "revised figure",
    }


def training_form(r, side, role):
    course = r.record("training_id", side)
    return {
        "title": course.title,
        "country": course.country,
        "start_date": iso(course.start_date),
        "end_date": iso(course.end_date),
        "modality": course.modality,
        "hours": 14,
        "topics": course.topics,
        "version": course.version,
        "reason": "shortened",
    }


def practitioner_form(r, side, role):
    person = r.record("practitioner_id", side)
    return {
        "name": person.name,
        "sex": person.sex,
        "country": person.country,
        "agency_id": "",
        "role_type": "prosecutor",
        "version": person.version,
        "reason": "new post",
    }


def agency_form(r, side, role):
    agency = r.record("agency_id", side)
    return {
        "name": f"Renamed agency {agency.country_code}",
        "country": agency.country_code,
        "type": agency.type,
        "version": agency.version,
    }


def participants_file(r, side, role):
    row = [*PARTICIPANTS[0][:4], COUNTRY[side], *PARTICIPANTS[0][5:]]
    return {"file": (io.BytesIO(csv_bytes([row])), "participants.csv")}


def import_file(r, side, role):
    row = ["MLA/RUN/1", COUNTRY[side], PARTNER[side], "thb", "asean_mlat", "evidence"]
    content = csv_bytes([[*row, "2025-01-10"]], MLA_IMPORT_HEADER)
    return {"file": (io.BytesIO(content), "scope.csv"), "mode": "save", "policy": "valid_only"}


UPDATE_TEXT = {"successes": "Two networks", "challenges": "Evidence", "next_steps": "SOP"}


def update_body(r, side, role):
    return {**UPDATE_TEXT, "status": "submitted"}


def submitted_update(r, side, role):
    """Reopen the side's country's update, submitted first by whoever records its data."""
    meeting = r.record("meeting_id", side)
    meeting_updates.save(
        r.maker(side),
        meeting,
        {**UPDATE_TEXT, "status": "submitted", "country": COUNTRY[side], "on_behalf_reason": "x"},
    )
    db.session.commit()
    return {"country": COUNTRY[side], "reason": "a figure was wrong"}


def update_status(r, response):
    db.session.expire_all()
    return db.session.scalar(
        sa.select(CountryUpdate.status).where(
            CountryUpdate.meeting_id == r.value("meeting_id", OWN)
        )
    )


def count(model, *where):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


WRITES = {
    # The API: JSON bodies, the changed field in the answer.
    "api.action_item_create": Write(
        FOCAL_POINT,
        lambda r, side, role: {"owner_country": COUNTRY[side], "description": "API task"},
        201,
        lambda r, response: (
            "API task" in [i.description for i in fresh(r, "meeting_id").action_items]
        ),
        True,
        ("description", "API task"),
    ),
    "api.action_item_patch": api_patch("item_id", "status", "done"),
    "api.country_update_save": Write(
        FOCAL_POINT, update_body, 200, update_status, "submitted", ("status", "submitted")
    ),
    "api.country_update_reopen": Write(
        FOCAL_POINT, submitted_update, 200, update_status, "draft", ("status", "draft")
    ),
    "api.case_patch": api_patch("case_id", "sector", "fishing"),
    "api.defendant_create": Write(
        FOCAL_POINT,
        lambda r, side, role: {"sex": "male", "version": r.record("case_id", side).version},
        201,
        lambda r, response: "male" in [d.sex for d in fresh(r, "case_id").defendants],
        True,
    ),
    "api.defendant_patch": Write(
        FOCAL_POINT,
        lambda r, side, role: {
            "outcome": "acquitted",
            # the defendant first: adding it made a new version of the case
            "version": r.record("defendant_id", side).case_id and r.record("case_id", side).version,
        },
        200,
        lambda r, response: fresh(r, "defendant_id").outcome,
        "acquitted",
    ),
    "api.victims_set": Write(
        FOCAL_POINT,
        lambda r, side, role: {
            "sex": "female",
            "age_group": "adult",
            "nationality": COUNTRY[side],
            "count": 3,
            "version": r.record("case_id", side).version,
        },
        200,
        lambda r, response: fresh(r, "case_id").victims_total,
        3,
    ),
    "api.jit_patch": api_patch("jit_id", "arrests", 3),
    "api.meeting_patch": api_patch("meeting_id", "outcomes", "Agreed SOP"),
    "api.mla_patch": api_patch("request_id", "summary", "Court date moved"),
    "api.mla_transition": Write(
        FOCAL_POINT,
        lambda r, side, role: {"status": "received", "date": iso(TODAY - timedelta(days=10))},
        201,
        lambda r, response: fresh(r, "request_id").status,
        "received",
        ("status", "received"),
    ),
    "api.authority_patch": api_patch("authority_id", "address", "1 Scope Road"),
    "api.participation_patch": api_patch("participation_id", "post_score", 80),
    "api.practitioner_patch": api_patch("practitioner_id", "role_type", "prosecutor"),
    "api.statistic_patch": api_patch("stat_id", "total", 12),
    "api.training_patch": api_patch("training_id", "hours", 14),
    "api.work_plan_patch": Write(
        UNODC,
        lambda r, side, role: {
            "status": "on_going",
            "status_date": iso(TODAY),
            "version": r.record("work_plan_item_id", side).version,
            "reason": "started",
        },
        200,
        lambda r, response: fresh(r, "work_plan_item_id").status,
        "on_going",
        ("status", "on_going"),
    ),
    # Pages: form posts (the client adds the CSRF token), a redirect once saved.
    "admin.user_edit": Write(
        ADMIN,
        lambda r, side, role: {
            "role": r.record("user_id", side).role,
            "country": r.record("user_id", side).country_code,
            "name": "Renamed Person",
        },
        302,
        lambda r, response: fresh(r, "user_id").name,
        "Renamed Person",
    ),
    "admin.user_active": Write(
        ADMIN,
        lambda r, side, role: {"activate": "0", "active-reason": "contract ended"},
        302,
        lambda r, response: fresh(r, "user_id").active,
        False,
    ),
    "admin.user_reset_2fa": Write(
        ADMIN,
        lambda r, side, role: {"factor-reason": "lost phone"},
        302,
        lambda r, response: count(
            AuditEvent,
            AuditEvent.action == "2fa_reset",
            AuditEvent.object_id == str(r.value("user_id", OWN)),
        ),
        1,
    ),
    "admin.user_reset_link": Write(
        ADMIN,
        lambda r, side, role: {"link-reason": "no mail server"},
        200,
        lambda r, response: count(PasswordReset, PasswordReset.user_id == r.value("user_id", OWN)),
        1,
    ),
    # Public: sent signed out, by whoever holds the link.
    "auth.reset_password": Write(
        None,
        lambda r, side, role: {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        302,
        lambda r, response: fresh(r, "reset_token").used_at is not None,
        True,
    ),
    "admin.user_reset_password": Write(
        ADMIN,
        lambda r, side, role: {"reset-password": "a new temporary password", "reset-reason": "x"},
        302,
        lambda r, response: fresh(r, "user_id").must_change_password,
        True,
    ),
    "auth.revoke_token": Write(
        FOCAL_POINT,
        lambda r, side, role: {},
        302,
        lambda r, response: fresh(r, "token_id", FOCAL_POINT).revoked_at is not None,
        True,
    ),
    "briefs.regenerate": Write(
        FOCAL_POINT,
        lambda r, side, role: {},
        302,
        lambda r, response: count(
            Brief,
            Brief.series_id == r.value("brief_id", OWN, FOCAL_POINT),
            Brief.version == 2,
            Brief.status == "done",
        ),
        1,
    ),
    "directory.authority_edit": Write(
        FOCAL_POINT,
        lambda r, side, role: {
            "role": "central_authority",
            "name": f"Renamed authority {COUNTRY[side]}",
            "channel": "diplomatic",
            "languages": ["en"],
            "version": r.record("authority_id", side).version,
        },
        302,
        lambda r, response: fresh(r, "authority_id").name,
        "Renamed authority KHM",
    ),
    "directory.authority_new": Write(
        FOCAL_POINT,
        lambda r, side, role: {
            "role": "competent_authority",
            "name": "Scope police",
            "channel": "direct",
            "languages": ["en"],
        },
        302,
        lambda r, response: count(Authority, Authority.name == "Scope police"),
        1,
    ),
    "directory.requirement_edit": Write(
        FOCAL_POINT,
        lambda r, side, role: {"assistance_type": "bank_records", "must_contain": "Account"},
        302,
        lambda r, response: count(Requirement, Requirement.must_contain == "Account"),
        1,
    ),
    "imports.run": Write(
        FOCAL_POINT,
        import_file,
        200,
        lambda r, response: count(MlaRequest, MlaRequest.reference == "MLA/RUN/1"),
        1,
        files=True,
    ),
    "indicators.edit": Write(
        UNODC,
        lambda r, side, role: {
            "baseline_value": 7,
            "baseline_year": 2023,
            "targets-0-year": 2026,
            "targets-0-value": 8,
            "version": r.record("code", side).version,
            "reason": "inception report",
        },
        302,
        lambda r, response: fresh(r, "code").baseline_value,
        7,
    ),
    "jits.add_extension": Write(
        FOCAL_POINT,
        lambda r, side, role: {
            "date": iso(TODAY - timedelta(days=5)),
            "new_end": iso(PLANNED_END + timedelta(days=100)),
            "note": "extended",
        },
        302,
        lambda r, response: [e.new_end for e in fresh(r, "jit_id").extensions],
        [PLANNED_END + timedelta(days=100)],
    ),
    "jits.change_status": Write(
        FOCAL_POINT,
        lambda r, side, role: {"status": "active", "reason": "operations started"},
        302,
        lambda r, response: fresh(r, "jit_id").status,
        "active",
    ),
    "jits.edit": Write(
        FOCAL_POINT, jit_form, 302, lambda r, response: fresh(r, "jit_id").arrests, 3
    ),
    "meetings.add_item": Write(
        FOCAL_POINT,
        lambda r, side, role: {
            "owner_country": COUNTRY[side],
            "description": "Send the list",
            "due_date": iso(TODAY + timedelta(days=14)),
        },
        302,
        lambda r, response: (
            "Send the list" in [i.description for i in fresh(r, "meeting_id").action_items]
        ),
        True,
    ),
    "meetings.edit": Write(
        FOCAL_POINT,
        meeting_form,
        302,
        lambda r, response: fresh(r, "meeting_id").outcomes,
        "Agreed SOP",
    ),
    "meetings.country_updates": Write(FOCAL_POINT, update_body, 302, update_status, "submitted"),
    "meetings.reopen_update": Write(FOCAL_POINT, submitted_update, 302, update_status, "draft"),
    "meetings.update_item": Write(
        FOCAL_POINT, item_status_form, 302, lambda r, response: fresh(r, "item_id").status, "done"
    ),
    "mla.edit": Write(
        FOCAL_POINT, mla_form, 302, lambda r, response: fresh(r, "request_id").urgency, "urgent"
    ),
    "mla.record_status": Write(
        FOCAL_POINT,
        lambda r, side, role: {
            "status": "received",
            "date": iso(TODAY - timedelta(days=10)),
            "note": "by courier",
        },
        302,
        lambda r, response: fresh(r, "request_id").status,
        "received",
    ),
    "notifications.mark_read": Write(
        FOCAL_POINT,
        lambda r, side, role: {},
        302,
        lambda r, response: fresh(r, "notification_id", FOCAL_POINT).read_at is not None,
        True,
    ),
    "prosecutions.add_defendant": Write(
        FOCAL_POINT,
        lambda r, side, role: {"sex": "male", "nationality": COUNTRY[side], "outcome": "pending"},
        302,
        lambda r, response: [(d.sex, d.outcome) for d in fresh(r, "case_id").defendants],
        [("male", "pending")],
    ),
    "prosecutions.edit": Write(
        FOCAL_POINT, case_form, 302, lambda r, response: fresh(r, "case_id").cyber_enabled, True
    ),
    "prosecutions.stage": Write(
        FOCAL_POINT,
        lambda r, side, role: {"stage": "prosecution", "date": iso(TODAY - timedelta(days=50))},
        302,
        lambda r, response: fresh(r, "case_id").stage,
        "prosecution",
    ),
    "prosecutions.statistic_form": Write(
        FOCAL_POINT, statistic_form, 302, lambda r, response: fresh(r, "stat_id").total, 12
    ),
    "prosecutions.victims": Write(
        FOCAL_POINT,
        lambda r, side, role: {
            "sex": "female",
            "age_group": "adult",
            "nationality": COUNTRY[side],
            "count": 3,
        },
        302,
        lambda r, response: fresh(r, "case_id").victims_total,
        3,
    ),
    "reference.agency_edit": Write(
        FOCAL_POINT,
        agency_form,
        302,
        lambda r, response: fresh(r, "agency_id").name,
        "Renamed agency KHM",
    ),
    "workplan.edit": Write(
        UNODC,
        lambda r, side, role: {
            "work_plan": "SOMTC TIP work plan",
            "title": f"Scope activity {COUNTRY[side]}",
            "lead": "ASEAN Secretariat",
            "status": "planned",
            "status_date": iso(TODAY - timedelta(days=30)),
            "version": r.record("work_plan_item_id", side).version,
            "reason": "lead changed",
        },
        302,
        lambda r, response: fresh(r, "work_plan_item_id").lead,
        "ASEAN Secretariat",
    ),
    "training.edit": Write(
        FOCAL_POINT, training_form, 302, lambda r, response: fresh(r, "training_id").hours, 14
    ),
    "training.practitioner_edit": Write(
        FOCAL_POINT,
        practitioner_form,
        302,
        lambda r, response: fresh(r, "practitioner_id").role_type,
        "prosecutor",
    ),
    "training.upload_cancel": Write(
        FOCAL_POINT,
        lambda r, side, role: {},
        302,
        lambda r, response: count(ParticipantUpload),
        0,
    ),
    "training.upload_confirm": Write(
        FOCAL_POINT,
        lambda r, side, role: {},
        302,
        lambda r, response: (
            count(ParticipantUpload),
            count(Participation, Participation.training_id == r.value("training_id", OWN)),
        ),
        (0, 2),  # the training's participant and the one from the file
    ),
    # The page keeps the checked file for confirmation and shows its preview (200).
    "training.upload_file": Write(
        FOCAL_POINT,
        participants_file,
        200,
        lambda r, response: count(
            ParticipantUpload, ParticipantUpload.training_id == r.value("training_id", OWN)
        ),
        1,
        files=True,
    ),
}

WRITE_RULES = [
    (rule, method) for rule in RULES for method in sorted(rule.methods & {"POST", "PATCH"})
]
REFUSED = [(rule, method) for rule, method in WRITE_RULES if RECORD_SCOPE[rule.endpoint] != NONE]


def test_every_write_route_with_arguments_has_a_valid_body():
    assert sorted({rule.endpoint for rule, _ in WRITE_RULES} ^ set(WRITES)) == []


def send(caller, rule, method, path, write, body):
    if rule.rule.startswith("/api/"):
        return caller.open(path, method=method, json=body)
    if write.files:
        return caller.open(path, method=method, data=body, content_type="multipart/form-data")
    return caller.open(path, method=method, data=body)


def snapshot(records_in_url):
    """Every table's row count (the audit log's among them) and the URL's records' rows."""
    db.session.expire_all()
    counts = sa.union_all(
        *(
            sa.select(
                sa.literal(table.name).label("name"), sa.func.count().label("rows")
            ).select_from(table)
            for table in db.metadata.sorted_tables
        )
    )
    rows = []
    for record in records_in_url:
        mapper = sa.inspect(type(record))
        identity = sa.inspect(record).identity
        key = zip(mapper.primary_key, identity, strict=True)
        stmt = sa.select(mapper.local_table).where(*(column == value for column, value in key))
        rows.append(db.session.execute(stmt).mappings().one_or_none())
    return dict(db.session.execute(counts).all()), rows


def records_in_url(records, rule, side, role):
    built = (
        records.get(ALIASES.get(rule.endpoint, {}).get(a, a), side, role) for a in arguments(rule)
    )
    return [b.record for b in built if b.record is not None]


@pytest.mark.parametrize(
    "rule, method", REFUSED, ids=[f"{method} {rule.endpoint}" for rule, method in REFUSED]
)
def test_focal_point_cannot_write_to_the_other_countrys_record(
    app, users, records, login_session, api, rule, method
):
    write = WRITES[rule.endpoint]
    focal_point = users[FOCAL_POINT]
    body = write.body(records, OTHER, FOCAL_POINT)
    path = url(records, rule, OTHER, FOCAL_POINT)
    caller = api(focal_point) if rule.rule.startswith("/api/") else login_session(focal_point)
    before = snapshot(records_in_url(records, rule, OTHER, FOCAL_POINT))
    response = send(caller, rule, method, path, write, body)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    wanted = 404 if FOCAL_POINT in POLICY[rule.endpoint] else 403
    assert response.status_code == wanted, response.get_data(as_text=True)[:300]
    assert snapshot(records_in_url(records, rule, OTHER, FOCAL_POINT)) == before


# Records of an account: a role that sees every country still may not write to another
# account's brief (administrators may), upload or token (administrators neither).
STRANGERS = [
    (rule, method, UNODC if RECORD_SCOPE[rule.endpoint] == OWNER else ADMIN)
    for rule, method in WRITE_RULES
    if RECORD_SCOPE[rule.endpoint] in (OWNER, OWNER_ONLY)
]


@pytest.mark.parametrize(
    "rule, method, role", STRANGERS, ids=[f"{m} {r.endpoint}-{role}" for r, m, role in STRANGERS]
)
def test_regional_role_cannot_write_to_another_accounts_record(
    app, users, records, login, rule, method, role
):
    write = WRITES[rule.endpoint]
    assert role in POLICY[rule.endpoint] and role in REGIONAL
    body = write.body(records, OTHER, role)
    path = url(records, rule, OTHER, role)
    caller = login(users[role])
    before = snapshot(records_in_url(records, rule, OTHER, role))
    response = send(caller, rule, method, path, write, body)
    assert response.status_code == 404, response.get_data(as_text=True)[:300]
    assert snapshot(records_in_url(records, rule, OTHER, role)) == before


@pytest.mark.parametrize("endpoint", sorted(WRITES))
def test_valid_write_to_own_record_is_saved(app, users, records, login, api, endpoint):
    write = WRITES[endpoint]
    rule, method = next((r, m) for r, m in WRITE_RULES if r.endpoint == endpoint)
    public = POLICY[endpoint] == PUBLIC
    assert write.role is None if public else write.role in POLICY[endpoint]
    body = write.body(records, OWN, write.role)
    path = url(records, rule, OWN, write.role)
    assert write.saved(records, None) != write.value, "the change is there before the write"
    if public:
        caller = app.test_client()
    elif rule.rule.startswith("/api/"):
        caller = api(users[write.role])
    else:
        caller = login(users[write.role])
    response = send(caller, rule, method, path, write, body)
    assert response.status_code == write.status, response.get_data(as_text=True)[:1000]
    if write.answer:
        field, value = write.answer
        assert response.get_json()[field] == value
    assert write.saved(records, response) == write.value


def test_participation_of_own_practitioner_in_another_countrys_training(records, users, api):
    """A Cambodian practitioner at a Thai training: listed to the Cambodian focal point, so
    the record opens too (both directions and the certificate: test_country_lines.py)."""
    person = records.record("practitioner_id", OWN)
    participation = training_services.add_participation(
        users[ADMIN],
        records.record("training_id", OTHER),
        person,
        {"pre_score": 40, "post_score": 70, "completed": True},
    )
    caller = api(users[FOCAL_POINT])
    listed = caller.get("/api/v1/participations").get_json()["items"]
    assert participation.id in [item["id"] for item in listed]
    assert caller.get(f"/api/v1/participations/{participation.id}").status_code == 200
