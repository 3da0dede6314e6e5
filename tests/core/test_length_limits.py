"""Every text a model keeps has a bound, and an over-long text is refused with a clear message
before anything is stored, not even an audit event (a 5 MB JIT evaluation was stored and
copied into a 5 MB audit row)."""

import pytest
import sqlalchemy as sa

from registry.blueprints.jits.models import Jit
from registry.core.audit import AuditEvent
from registry.core.limits import limit_of, text_columns
from registry.extensions import db
from tests.core.test_version_required import PATCHES, _fresh
from tests.fixtures.records import OWN, Records
from tests.jits.helpers import make_jit


def _events():
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def test_every_text_column_of_every_model_has_a_bound(app):
    unbounded = [
        f"{mapper.class_.__name__}.{name}"
        for mapper in db.Model.registry.mappers
        for name, column in text_columns(mapper).items()
        if not limit_of(column)
    ]
    assert unbounded == []


@pytest.mark.parametrize("arg", sorted(PATCHES))
def test_api_refuses_every_overlong_text_of_the_record_it_changes(api, users, session, arg):
    path, *_ = PATCHES[arg]
    record = Records(users).record(arg, OWN)
    caller = api(users["admin"])
    columns = text_columns(db.inspect(type(record)))
    for name, column in columns.items():
        before, events = getattr(record, name), _events()
        body = {name: "x" * (limit_of(column) + 1), "reason": "r", "version": record.version}
        response = caller.patch(path.format(record.id), json=body)
        assert response.status_code == 422, (name, response.get_data(as_text=True)[:300])
        assert name in response.get_json()["errors"], name
        assert getattr(_fresh(record), name) == before and _events() == events


def test_a_5_mb_jit_evaluation_is_refused_and_nothing_is_stored(api, users, session):
    jit = make_jit(users["admin"])
    session.flush()
    caller = api(users["admin"])  # its token is an audited record of its own
    events = _events()
    huge = "lesson " * (5 * 1024 * 1024 // 7)
    response = caller.patch(
        f"/api/v1/jits/{jit.id}",
        json={"lessons_learned": huge, "reason": "evaluation", "version": jit.version},
    )
    assert response.status_code == 422
    assert "4000" in " ".join(response.get_json()["errors"]["lessons_learned"])
    assert _fresh(jit).lessons_learned == "" and _events() == events
    longest = db.session.scalar(sa.select(sa.func.max(sa.func.length(AuditEvent.reason))))
    assert (longest or 0) < 10_000


def test_the_service_refuses_an_overlong_text_whatever_called_it(users, session):
    """Imports and pages call the services; the bound holds there without any schema."""
    from registry.blueprints.jits import services
    from registry.core.errors import ValidationFailed

    jit = make_jit(users["admin"])
    session.flush()
    events = _events()
    limit = limit_of(Jit.__table__.c.results_achieved)
    with pytest.raises(ValidationFailed) as refused:
        services.update_jit(
            users["admin"], jit, {"results_achieved": "y" * (limit + 1)}, jit.version, "r"
        )
    assert f"At most {limit:,} characters" in refused.value.errors["results_achieved"][0]
    with db.session.no_autoflush:
        assert _events() == events
