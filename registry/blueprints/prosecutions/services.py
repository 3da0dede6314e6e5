"""Prosecution cases and annual statistics: access rules, validation, stages."""

from datetime import date

import sqlalchemy as sa

from registry.blueprints.jits import services as jit_services
from registry.blueprints.jits.models import Jit
from registry.blueprints.mla import services as mla_services
from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.prosecutions.models import (
    AGE_GROUPS,
    CRIME_TYPES,
    EXPLOITATION_FORMS,
    FLAGS,
    METRICS,
    OUTCOMES,
    SEXES,
    STAGES,
    AnnualStatistic,
    CaseExploitation,
    CaseStage,
    CaseVictimCount,
    Defendant,
    ProsecutionCase,
)
from registry.core import audit, params
from registry.core.columns import utcnow
from registry.core.errors import Forbidden, ValidationFailed
from registry.core.linking import visible_links
from registry.core.lookups import FROM_DATABASE
from registry.core.permissions import country_scope, scoped
from registry.core.roles import ADMIN, AUDITOR, CASE_READERS, FOCAL_POINT, OFFICIAL, UNODC
from registry.core.validate import Checker
from registry.extensions import db

READERS = (ADMIN, FOCAL_POINT, UNODC, AUDITOR)
EDITORS = (ADMIN, FOCAL_POINT, UNODC)
PROFILE_READERS = (ADMIN, FOCAL_POINT, UNODC, AUDITOR, OFFICIAL)
ORDER = list(STAGES)
DEFENDANT_FIELDS = (
    "sex",
    "nationality",
    "outcome",
    "sentence_months",
    "fine",
    "asset_confiscation",
    "restitution",
)
CASE_FIELDS = ("country", "reference", "crime_type", "sector", "notes", *FLAGS)


def can_view(user, country):
    return user.role in CASE_READERS and (
        country_scope(user) is None or user.country_code == country
    )


def can_edit(user, country):
    return user.role in (ADMIN, UNODC) or (
        user.role == FOCAL_POINT and user.country_code == country
    )


def can_view_profile(user, country):
    return user.role in PROFILE_READERS and (
        country_scope(user) is None or user.country_code == country
    )


def _linked(actor, model, ids, check, field):
    return visible_links(actor, model, ids, check, field, "Link only records you can see.")


def _clean_case(actor, data, lookups=FROM_DATABASE):
    check = Checker(data, lookups)
    values = {
        "country": check.country("country"),
        "reference": check.text(
            "reference", 60, label="the internal case reference (never a victim's name)"
        ),
        "crime_type": check.code("crime_type", CRIME_TYPES),
        "sector": check.text("sector", 60, required=False),
        "notes": (data.get("notes") or "").strip(),
    }
    for flag in FLAGS:
        values[flag] = bool(data.get(flag))
    forms = check.codes("exploitation_forms", EXPLOITATION_FORMS, minimum=0)
    mla = _linked(actor, MlaRequest, data.get("mla_request_ids"), check, "mla_request_ids")
    jits = _linked(actor, Jit, data.get("jit_ids"), check, "jit_ids")
    return check, values, forms, mla, jits


def _duplicate(country, reference, exclude_id=None):
    stmt = sa.select(ProsecutionCase.id).where(
        ProsecutionCase.country == country, ProsecutionCase.reference == reference
    )
    if exclude_id:
        stmt = stmt.where(ProsecutionCase.id != exclude_id)
    return db.session.scalar(stmt) is not None


EARLIER = {"investigation_started": "investigation", "prosecution_started": "prosecution"}


def _earlier_dates(check, data, stage, started, today):
    """The start dates a new case was given for the stages before its current one.

    Each is optional ("not known") and none is invented from the current stage's date; a known
    one cannot be in the future, after a later stage's date, or belong to a stage not yet reached
    (the current stage's own date, repeated, is accepted so that an export imports back).
    """
    known = {}
    for field, earlier in EARLIER.items():
        on = check.day(field, not_after=today)
        if on is None:
            continue
        if earlier == stage and on == started:
            continue  # the current stage's own date, as an export gives it back
        if ORDER.index(earlier) >= ORDER.index(stage) and stage != "closed":
            check.fail(field, f"A case at {STAGES[stage].lower()} has no such date yet.")
        elif started and on > started:
            check.fail(field, f"The date cannot be after the {STAGES[stage].lower()} date.")
        else:
            known[field] = on
    inv, pros = known.get("investigation_started"), known.get("prosecution_started")
    if inv and pros and inv > pros:
        check.fail("prosecution_started", "The prosecution cannot start before the investigation.")
    return known


def check_new_case(actor, data, today, lookups=FROM_DATABASE):
    """Validate a new case without writing anything; return its values, forms, links, the
    columns of its stage and its known stage history as (stage, date) pairs, oldest first.
    The reference is checked against the registry by the callers."""
    check, values, forms, mla, jits = _clean_case(actor, data, lookups)
    stage = check.code("stage", STAGES, default="investigation")
    started = check.day("stage_date", required=True, not_after=today)
    known = _earlier_dates(check, data, stage if stage in STAGES else "closed", started, today)
    check.raise_if_any("The case was not saved.")
    if not can_edit(actor, values["country"]):
        raise Forbidden("You can record cases of your own country only.")
    columns = stage_columns(known, stage, started)
    history = [(EARLIER[f], on) for f, on in known.items()] + [(stage, started)]
    return values, forms, mla, jits, columns, history


def create_case(actor, data, today=None):
    """Open a case at a stage (investigation by default) on a date, with the earlier stages'
    dates where they are known."""
    values, forms, mla, jits, columns, history = check_new_case(actor, data, today or date.today())
    if _duplicate(values["country"], values["reference"]):
        raise ValidationFailed(
            "The case was not saved.",
            {"reference": ["This country already has a case with this reference."]},
        )
    audit.act_as(actor)
    case = ProsecutionCase(**values, **columns)
    case.forms = [CaseExploitation(form=f) for f in forms]
    case.mla_requests, case.jits = mla, jits
    case.stages = [CaseStage(stage=s, date=on) for s, on in history]
    case.stamp(actor)
    db.session.add(case)
    db.session.flush()
    return case


def stage_columns(current, stage, on):
    """The columns a case has after entering `stage` on `on`; `current` holds its start dates.

    A stage's start date is set only when the case enters that very stage: a case that skips
    the prosecution stage keeps an unknown prosecution start rather than an invented one (and
    outcome indicator 2.3 does not count it, saying so)."""
    columns = {
        "stage": stage,
        "investigation_started": current.get("investigation_started"),
        "prosecution_started": current.get("prosecution_started"),
    }
    if stage == "investigation":
        columns["investigation_started"] = columns["investigation_started"] or on
    if stage == "prosecution":
        columns["prosecution_started"] = columns["prosecution_started"] or on
    if stage == "verdict":
        columns["verdict_date"] = on
    return columns


def _enter_stage(case, stage, on):
    case.stages.append(CaseStage(stage=stage, date=on))
    current = {
        "investigation_started": case.investigation_started,
        "prosecution_started": case.prosecution_started,
    }
    for key, value in stage_columns(current, stage, on).items():
        setattr(case, key, value)


def linked(user, case):
    """The case's MLA requests and teams this user may see; the others are not named to them."""
    return (
        [r for r in case.mla_requests if mla_services.can_view(user, r)],
        [j for j in case.jits if jit_services.can_view(user, j)],
    )


def update_case(actor, case, data, expected_version=None, reason=None):
    if not can_edit(actor, case.country):
        raise Forbidden("You can edit cases of your own country only.")
    seen_mla, seen_jits = linked(actor, case)
    merged = {f: getattr(case, f) for f in CASE_FIELDS}
    merged |= {
        "exploitation_forms": case.exploitation_forms,
        "mla_request_ids": [r.id for r in seen_mla],
        "jit_ids": [j.id for j in seen_jits],
    }
    merged.update({k: v for k, v in data.items() if v is not None})
    check, values, forms, mla, jits = _clean_case(actor, merged)
    if (
        values["country"]
        and values["reference"]
        and _duplicate(values["country"], values["reference"], case.id)
    ):
        check.fail("reference", "This country already has a case with this reference.")
    if not (reason or "").strip():
        check.fail("reason", "Say why you change this case.")
    check.raise_if_any("The case was not saved.")
    if not can_edit(actor, values["country"]):
        raise Forbidden("You can move cases to your own country only.")
    case.check_version(expected_version)
    audit.act_as(actor, reason.strip())
    for key, value in values.items():
        setattr(case, key, value)
    if forms != case.exploitation_forms:
        current = {row.form: row for row in case.forms}
        case.forms = [current.get(f) or CaseExploitation(form=f) for f in forms]
    # Links the editor cannot see stay: they could not have chosen to remove them.
    case.mla_requests = mla + [r for r in case.mla_requests if r not in seen_mla]
    case.jits = jits + [j for j in case.jits if j not in seen_jits]
    case.stamp(actor)
    db.session.flush()
    return case


def record_stage(actor, case, stage, on, today=None):
    """Move a case forward (or close it); dates never go backwards."""
    if not can_edit(actor, case.country):
        raise Forbidden("You can change cases of your own country only.")
    today = today or date.today()
    errors = {}
    if stage not in STAGES:
        errors["stage"] = ["Unknown stage."]
    elif stage != "closed" and ORDER.index(stage) <= ORDER.index(case.stage):
        errors["stage"] = [
            f"A case at {STAGES[case.stage].lower()} can only move forward or be closed."
        ]
    elif case.stage == "closed":
        errors["stage"] = ["The case is closed."]
    last = max((s.date for s in case.stages), default=None)
    if not isinstance(on, date):
        errors["date"] = ["Give the date (YYYY-MM-DD)."]
    elif on > today:
        errors["date"] = ["The date cannot be in the future."]
    elif last and on < last:
        errors["date"] = [f"The date cannot be before the previous stage ({last.isoformat()})."]
    if errors:
        raise ValidationFailed("The stage was not recorded.", errors)
    audit.act_as(actor)
    _enter_stage(case, stage, on)
    case.stamp(actor)
    db.session.flush()
    return case


def _touch(case, actor):
    """A change of a case's defendants or victims is a new version of the case."""
    case.stamp(actor)
    case.updated_at = utcnow()


def _clean_defendant(case, actor, data):
    if not can_edit(actor, case.country):
        raise Forbidden("You can change cases of your own country only.")
    check = Checker(data)
    values = {
        "sex": check.code("sex", SEXES),
        "nationality": check.country("nationality", required=False),
        "outcome": check.code("outcome", OUTCOMES, default="pending"),
        "sentence_months": check.count("sentence_months", default=None, maximum=1200),
        "fine": check.amount("fine"),
        "asset_confiscation": check.amount("asset_confiscation"),
        "restitution": check.amount("restitution"),
    }
    if values["outcome"] != "convicted" and values["sentence_months"]:
        check.fail("sentence_months", "Only a convicted defendant has a sentence.")
    check.raise_if_any("The defendant was not saved.")
    return values


def add_defendant(actor, case, data, expected_version=None):
    """Record a defendant of the case; `expected_version` is the case's, when the caller has it."""
    values = _clean_defendant(case, actor, data)
    if expected_version is not None:  # the API always sends it; a page adds a row
        case.check_version(expected_version)
    audit.act_as(actor)
    defendant = Defendant(**values)
    case.defendants.append(defendant)
    _touch(case, actor)
    db.session.flush()
    return defendant


def update_defendant(actor, case, defendant, data, expected_version):
    """Change a defendant: the fields not given keep their values; the case's version guards it."""
    current = {k: getattr(defendant, k) for k in DEFENDANT_FIELDS}
    values = _clean_defendant(case, actor, current | data)
    case.check_version(expected_version)
    audit.act_as(actor)
    for key, value in values.items():
        setattr(defendant, key, value)
    _touch(case, actor)
    db.session.flush()
    return defendant


def remove_defendant(actor, case, defendant, expected_version):
    if not can_edit(actor, case.country):
        raise Forbidden("You can change cases of your own country only.")
    case.check_version(expected_version)
    audit.act_as(actor)
    case.defendants.remove(defendant)
    _touch(case, actor)
    db.session.flush()


def set_victim_count(actor, case, data, expected_version=None):
    """Record how many victims of one sex, age group and nationality the case concerns (0
    removes the row); `expected_version` is the case's, when the caller has it."""
    if not can_edit(actor, case.country):
        raise Forbidden("You can change cases of your own country only.")
    check = Checker(data)
    sex = check.code("sex", SEXES)
    age = check.code("age_group", AGE_GROUPS)
    nationality = check.country("nationality")
    count = check.count("count", maximum=100_000)
    check.raise_if_any("The victim count was not saved.")
    if expected_version is not None:  # the API always sends it; a page adds a row
        case.check_version(expected_version)
    audit.act_as(actor)
    row = next(
        (v for v in case.victims if (v.sex, v.age_group, v.nationality) == (sex, age, nationality)),
        None,
    )
    if row is None:
        case.victims.append(
            CaseVictimCount(sex=sex, age_group=age, nationality=nationality, count=count)
        )
    elif count == 0:
        case.victims.remove(row)
    else:
        row.count = count
    _touch(case, actor)
    db.session.flush()


def cases_query(user, args):
    stmt = scoped(sa.select(ProsecutionCase), user, ProsecutionCase)
    if country := args.get("country"):
        stmt = stmt.where(ProsecutionCase.country == country)
    for field in ("crime_type", "stage"):
        if value := params.code(args, field, getattr(ProsecutionCase, field)):
            stmt = stmt.where(getattr(ProsecutionCase, field) == value)
    year = args.get("year")
    if year and str(year).isdigit() and 1900 <= int(year) <= 2100:
        stmt = stmt.where(
            ProsecutionCase.prosecution_started.between(
                date(int(year), 1, 1), date(int(year), 12, 31)
            )
        )
    for flag in FLAGS:
        if args.get(flag):
            stmt = stmt.where(getattr(ProsecutionCase, flag).is_(True))
    if q := (args.get("q") or "").strip():
        stmt = stmt.where(ProsecutionCase.reference.ilike(f"%{q}%"))
    return stmt.order_by(
        ProsecutionCase.investigation_started.desc().nulls_last(), ProsecutionCase.id
    )


def _clean_statistic(data):
    check = Checker(data)
    values = {
        "country": check.country("country"),
        "metric": check.code("metric", METRICS),
        "source": check.text("source", 200, label="the source of the figure"),
        "total": check.count("total", default=None),
        "female": check.count("female", default=None),
        "male": check.count("male", default=None),
    }
    year = check.count("year", default=None)
    if year is None or not 1990 <= year <= date.today().year:
        check.fail("year", f"Give a year from 1990 to {date.today().year}.")
    values["year"] = year
    if values["total"] is None and "total" not in check.errors:
        check.fail("total", "Give the total.")
    if (
        values["total"] is not None
        and (values["female"] or 0) + (values["male"] or 0) > values["total"]
    ):
        check.fail("total", "Women and men together cannot exceed the total.")
    return check, values


def _statistic_exists(values, exclude_id=None):
    stmt = sa.select(AnnualStatistic.id).where(
        *(getattr(AnnualStatistic, k) == values[k] for k in ("country", "year", "metric", "source"))
    )
    if exclude_id:
        stmt = stmt.where(AnnualStatistic.id != exclude_id)
    return db.session.scalar(stmt) is not None


def save_statistic(actor, data, statistic=None, expected_version=None, reason=None):
    """Create or change a reported aggregate; two sources may disagree and both are kept."""
    if statistic is not None:
        data = {
            k: getattr(statistic, k)
            for k in ("country", "year", "metric", "source", "total", "female", "male")
        } | {k: v for k, v in data.items() if v is not None}
    check, values = _clean_statistic(data)
    # Who may write this country's figures is settled before any other row is looked for, so
    # that a focal point learns nothing about another country's statistics.
    known = values["country"] and "country" not in check.errors
    if (known and not can_edit(actor, values["country"])) or (
        statistic and not can_edit(actor, statistic.country)
    ):
        raise Forbidden("You can record statistics of your own country only.")
    if not check.errors and _statistic_exists(values, statistic.id if statistic else None):
        check.fail(
            "source", "This country, year and metric already have a figure from this source."
        )
    if statistic is not None and not (reason or "").strip():
        check.fail("reason", "Say why you change this figure.")
    check.raise_if_any("The statistic was not saved.")
    audit.act_as(actor, (reason or "").strip() or None)
    if statistic is None:
        statistic = AnnualStatistic(**values)
        db.session.add(statistic)
    else:
        statistic.check_version(expected_version)
        for key, value in values.items():
            setattr(statistic, key, value)
    statistic.stamp(actor)
    db.session.flush()
    return statistic


def statistics_query(user, args):
    stmt = scoped(sa.select(AnnualStatistic), user, AnnualStatistic)
    if country := args.get("country"):
        stmt = stmt.where(AnnualStatistic.country == country)
    if metric := params.code(args, "metric", AnnualStatistic.metric):
        stmt = stmt.where(AnnualStatistic.metric == metric)
    if year := params.year(args, "year"):
        stmt = stmt.where(AnnualStatistic.year == year)
    return stmt.order_by(
        AnnualStatistic.country,
        AnnualStatistic.year.desc(),
        AnnualStatistic.metric,
        AnnualStatistic.source,
    )
