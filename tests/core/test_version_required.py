"""A change of a versioned record must name the version it changes, in the API and on pages.

Reproduces "PATCH without version silently overwrites": for every record type with a version
column, a change without the version is refused (API: 428 naming `version`; page: a clear
message) and a change with an older version is refused (409), and neither saves anything.
"""

import re
from html.parser import HTMLParser

import pytest
from flask import url_for
from werkzeug.datastructures import MultiDict

from registry.blueprints.directory import services as directory
from registry.blueprints.meetings.models import ITEM_STATUSES
from registry.core.columns import VersionedMixin
from registry.extensions import db
from tests.fixtures.records import OWN, Records

# URL argument of the record -> (PATCH path, a change of one field, the attribute it sets).
PATCHES = {
    "request_id": ("/api/v1/mla-requests/{}", "summary", "Changed summary"),
    "jit_id": ("/api/v1/jits/{}", "lessons_learned", "Changed lessons"),
    "meeting_id": ("/api/v1/meetings/{}", "outcomes", "Changed outcomes"),
    "item_id": ("/api/v1/action-items/{}", "description", "Changed description"),
    "training_id": ("/api/v1/trainings/{}", "organiser", "Changed organiser"),
    "practitioner_id": ("/api/v1/practitioners/{}", "name", "Changed Name"),
    "participation_id": ("/api/v1/participations/{}", "pre_score", 12),
    "case_id": ("/api/v1/prosecutions/{}", "notes", "Changed notes"),
    "stat_id": ("/api/v1/annual-statistics/{}", "source", "Changed source"),
    "authority_id": ("/api/v1/authorities/{}", "notes", "Changed notes"),
    "work_plan_item_id": ("/api/v1/work-plan-items/{}", "narrative", "Changed narrative"),
}

# Edit pages: (endpoint, URL argument, the record's attribute, its new value, other fields set).
PAGES = [
    ("mla.edit", "request_id", "summary", "Changed summary", {}),
    ("jits.edit", "jit_id", "lessons_learned", "Changed lessons", {}),
    ("meetings.edit", "meeting_id", "outcomes", "Changed outcomes", {}),
    ("training.edit", "training_id", "organiser", "Changed organiser", {}),
    ("training.practitioner_edit", "practitioner_id", "name", "Changed Name", {}),
    ("prosecutions.edit", "case_id", "notes", "Changed notes", {}),
    ("prosecutions.statistic_form", "stat_id", "source", "Changed source", {}),
    ("directory.authority_edit", "authority_id", "notes", "Changed notes", {}),
    ("reference.agency_edit", "agency_id", "name_en", "Changed name", {}),
    ("indicators.edit", "code", "baseline_value", "7", {"baseline_year": "2024"}),
    ("directory.requirement_edit", "requirement", "notes", "Changed notes", {}),
]


def _fresh(record):
    key = db.inspect(record).identity
    db.session.expire_all()
    return db.session.get(type(record), key)


def test_every_patch_route_of_a_versioned_record_is_covered(app):
    patch_rules = {r.rule for r in app.url_map.iter_rules() if "PATCH" in (r.methods or ())}
    covered = {re.sub(r"\{\}", "<int:" + arg + ">", path) for arg, (path, *_) in PATCHES.items()}
    # A defendant is changed at its case's version: tests/prosecutions/test_case_parts_api.py.
    covered.add("/api/v1/prosecutions/<int:case_id>/defendants/<int:defendant_id>")
    assert patch_rules == covered
    versioned = {
        m.class_.__name__ for m in db.Model.registry.mappers if issubclass(m.class_, VersionedMixin)
    }
    # Agencies, requirements and indicators have no API PATCH; their pages are tested below.
    assert versioned == {
        *("MlaRequest", "Jit", "Meeting", "ActionItem", "Training", "Practitioner"),
        *("Participation", "ProsecutionCase", "AnnualStatistic", "Authority"),
        *("Agency", "Requirement", "Indicator", "WorkPlanItem"),
        "CountryUpdate",  # written by POST .../country-updates, tested in tests/meetings
    }


@pytest.mark.parametrize("arg", sorted(PATCHES))
def test_patch_without_version_is_428_and_saves_nothing(api, users, session, arg):
    path, field, value = PATCHES[arg]
    record = Records(users).record(arg, OWN)
    before, version = getattr(record, field), record.version
    caller = api(users["admin"])
    for body in ({field: value, "reason": "r"}, {field: value, "reason": "r", "version": None}):
        response = caller.patch(path.format(record.id), json=body)
        assert response.status_code == 428, response.get_data(as_text=True)
        answer = response.get_json()
        assert "`version`" in answer["message"] and "version" in answer["errors"]
        fresh = _fresh(record)
        assert (getattr(fresh, field), fresh.version) == (before, version)


@pytest.mark.parametrize("arg", sorted(PATCHES))
def test_patch_with_current_version_saves_and_stale_one_is_409(api, users, session, arg):
    path, field, value = PATCHES[arg]
    record = Records(users).record(arg, OWN)
    version = record.version
    caller = api(users["admin"])
    body = {field: value, "reason": "r", "version": version}
    saved = caller.patch(path.format(record.id), json=body)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    fresh = _fresh(record)
    assert (getattr(fresh, field), fresh.version) == (value, version + 1)
    # A second client still holding the version the first one changed:
    other = {field: "Other text" if isinstance(value, str) else value + 1}
    stale = caller.patch(path.format(record.id), json=body | other)
    assert stale.status_code == 409 and "changed by" in stale.get_json()["message"]
    fresh = _fresh(record)
    assert (getattr(fresh, field), fresh.version) == (value, version + 1)


class FormValues(HTMLParser):
    """The fields and values a browser would post from the page's form holding `version`."""

    def __init__(self, version_name):
        super().__init__()
        self.version_name, self.forms, self._form, self._select, self._text = (
            version_name,
            [],
            None,
            None,
            None,
        )

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self._form = {"action": attrs.get("action") or "", "values": []}
            self.forms.append(self._form)
        elif self._form is None or (not name and tag != "option"):
            return
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            if "checked" in attrs:
                self._form["values"].append((name, attrs.get("value", "y")))
        elif tag == "input" and attrs.get("type") not in ("submit", "file"):
            self._form["values"].append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            if self._select[1] is None or "selected" in attrs:
                self._select[1 if "selected" not in attrs else 2] = attrs.get("value", "")
        elif tag == "textarea":
            self._text = [name, ""]

    def handle_data(self, data):
        if self._text is not None:
            self._text[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, first, chosen = self._select
            self._form["values"].append((name, chosen if chosen is not None else first or ""))
            self._select = None
        elif tag == "textarea" and self._text is not None:
            self._form["values"].append(tuple(self._text))
            self._text = None
        elif tag == "form":
            self._form = None

    def form(self):
        return next(f for f in self.forms if any(n == self.version_name for n, _ in f["values"]))


def _edit_form(browser, path, version_name="version"):
    page = browser.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    parser = FormValues(version_name)
    parser.feed(page.get_data(as_text=True))
    form = parser.form()
    return form["action"] or path, form["values"]


def _post(browser, action, values, changes, drop=()):
    data = [(n, v) for n, v in values if n not in changes and n not in drop]
    data += list(changes.items())
    return browser.post(action, data=MultiDict(data), csrf=False, follow_redirects=True)


@pytest.mark.parametrize(
    "endpoint, arg, attribute, value, others", PAGES, ids=[p[0] for p in PAGES]
)
def test_edit_page_without_or_with_stale_version_saves_nothing(
    app, users, login, session, endpoint, arg, attribute, value, others
):
    if arg == "requirement":  # one per country and type of assistance, named by both
        data = {"must_contain": "A summary of the facts"}
        record = directory.save_requirement(users["admin"], "KHM", "evidence", data)
        values = {"iso3": "KHM", "type": "evidence"}
    else:
        records = Records(users)
        record, values = records.record(arg, OWN), {arg: records.value(arg, OWN)}
    with app.test_request_context():
        path = url_for(endpoint, **values)
    browser = login(users["admin"])
    before, version = getattr(record, attribute), record.version
    action, values = _edit_form(browser, path)
    changes = {attribute: value, "reason": "Checking the version rule", **others}
    missing = _post(browser, action, values, changes, drop=("version",))
    assert "field `version`" in missing.get_data(as_text=True)
    fresh = _fresh(record)
    assert (getattr(fresh, attribute), fresh.version) == (before, version)
    stale = _post(browser, action, values, changes | {"version": str(version - 1)})
    assert "after you opened it" in stale.get_data(as_text=True)
    fresh = _fresh(record)
    assert (getattr(fresh, attribute), fresh.version) == (before, version)
    saved = _post(browser, action, values, changes)
    assert saved.status_code == 200
    fresh = _fresh(record)
    assert str(getattr(fresh, attribute)) == value and fresh.version == version + 1


def test_action_item_status_without_or_with_stale_version_saves_nothing(users, login, session):
    records = Records(users)
    item = records.record("item_id", OWN)
    browser = login(users["admin"])
    status, version, prefix = item.status, item.version, f"item{item.id}-"
    action, values = _edit_form(browser, f"/meetings/{item.meeting_id}", prefix + "version")
    target = next(s for s in ITEM_STATUSES if s != status)
    changes = {prefix + "status": target, prefix + "reason": "Checking the version rule"}
    missing = _post(browser, action, values, changes, drop=(prefix + "version",))
    assert "field `version`" in missing.get_data(as_text=True)
    assert (_fresh(item).status, _fresh(item).version) == (status, version)
    stale = _post(browser, action, values, changes | {prefix + "version": str(version - 1)})
    assert "after you opened it" in stale.get_data(as_text=True)
    assert (_fresh(item).status, _fresh(item).version) == (status, version)
    _post(browser, action, values, changes)
    assert (_fresh(item).status, _fresh(item).version) == (target, version + 1)
