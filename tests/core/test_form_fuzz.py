"""Every form on every page, posted with hostile numbers, dates and codes in all its fields,
as an administrator (who may use every form): never a server error.

The forms are found by loading each GET page (tests/core/test_page_fuzz.py's walk) and reading
its HTML, so a new form is fuzzed without naming it here. Changes are rolled back with the
test. Sign-out and the password form are left out: they end the session under test.
"""

from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from registry.core.roles import ADMIN
from tests.core.test_page_fuzz import _routes
from tests.core.test_route_scope import ALIASES, arguments
from tests.fixtures.records import OWN, Records
from tests.policy import POLICY, PUBLIC

HOSTILE = ("99999999999999999999", "-99999999999", "2026-02-30", "99999-12-31", "all", "1e309")
SKIPPED = ("/auth/logout", "/auth/password", "/auth/login")


class Forms(HTMLParser):
    """The post forms of a page: (action, field names), file inputs left out."""

    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = (attrs.get("action") or "", set())
            self.forms.append(self._current)
        elif (
            self._current
            and tag in ("input", "select", "textarea")
            and attrs.get("name")
            and attrs.get("type") != "file"
        ):
            self._current[1].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _forms(browser, path):
    response = browser.get(path)
    if response.status_code != 200 or response.mimetype != "text/html":
        return []
    parser = Forms()
    parser.feed(response.get_data(as_text=True))
    return [(urlsplit(urljoin(path, action or path)).path, names) for action, names in parser.forms]


def test_no_form_answers_a_server_error(app, users, login_session):
    records = Records(users)
    browser = login_session(users[ADMIN])
    forms = {}
    for rule in _routes(app):
        if POLICY[rule.endpoint] == PUBLIC or ADMIN not in POLICY[rule.endpoint]:
            continue
        values = records.url_values(arguments(rule), OWN, ADMIN, ALIASES.get(rule.endpoint))
        for action, names in _forms(browser, rule.build(values, append_unknown=False)[1]):
            if action not in SKIPPED:
                forms.setdefault(action, set()).update(names - {"csrf_token"})
    failures, answers = [], Counter()
    for action, names in sorted(forms.items()):
        for value in HOSTILE:
            data = dict.fromkeys(names, value)
            try:
                response = browser.post(action, data=data)
                status = response.status_code
                response.close()
            except Exception as exc:  # noqa: BLE001  (any crash is the finding)
                status = f"500 {type(exc).__name__}: {str(exc)[:160]}"
            answers[str(status)[:3]] += 1
            if str(status) >= "500":
                failures.append(f"{action} {value} -> {status}")
    print("\n".join(failures))
    print(f"form fuzz: {len(forms)} forms, {answers.total()} posts, answers {dict(answers)}")
    assert len(forms) >= 20 and answers["422"] + answers["200"] > answers.total() / 2
    assert not failures, f"{len(failures)} server errors"
