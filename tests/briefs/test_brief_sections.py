"""Every section of a brief on all ASEAN members, as a Cambodian focal point, a Thai official,
a regional official and UNODC: the printed figures (read back from the PDF) are those of the
records each may see in the brief's period, counted here by hand from the plain data the
records were made from; a country-scoped asker gets a regional total only where it reveals no
other single country's figure (docs/architecture.md §4)."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest

from registry.blueprints.briefs import jobs, services
from registry.blueprints.briefs.models import SECTIONS, Brief
from registry.blueprints.jits import services as jit_services
from registry.blueprints.meetings import services as meeting_services
from registry.blueprints.meetings.models import MEETING_TYPES
from registry.blueprints.mla import services as mla_services
from registry.blueprints.prosecutions import services as case_services
from registry.blueprints.training import services as training_services
from registry.core import settings
from tests.briefs.helpers import MEMBERS, text_of
from tests.factories import AgencyFactory, UserFactory
from tests.fixtures.clock import TODAY
from tests.mla.helpers import make_request

START = TODAY - timedelta(days=179)  # the brief's period: START .. TODAY (180 days)
BEFORE = (START - timedelta(days=180), START - timedelta(days=1))  # the period compared with


def day(n):
    """The n-th day of the brief's period (negative: the period before)."""
    return START + timedelta(days=n)


def in_period(on):
    return START <= on <= TODAY


def before(on):
    return BEFORE[0] <= on <= BEFORE[1]


# The world, as plain data. MLA: (requesting, requested, sent, final date or None, status).
MLA = [
    ("KHM", "THA", day(10), day(40), "executed"),
    ("THA", "VNM", day(20), day(80), "executed"),
    ("VNM", "LAO", day(30), day(120), "refused"),
    ("IDN", "PHL", day(5), day(25), "executed"),
    ("KHM", "VNM", day(15), None, "received"),
    ("THA", "MYS", day(150), None, "sent"),
    ("KHM", "LAO", day(-100), day(-50), "executed"),
]
# JITs: (members, signed, arrests, prosecutions opened, victims by field, active now)
JITS = [
    (["KHM", "THA"], day(30), 3, 1, {"victims_female_adult": 2, "victims_male_child": 6}, True),
    (["THA", "VNM"], day(60), 5, 0, {"victims_female_adult": 4}, False),
    (["LAO", "MMR"], day(-60), 1, 0, {}, False),
]
# Meetings: (type, countries, date, (women, men, other), counts toward 2.6.1, items: (owner, due))
MEETINGS = [
    ("police_to_police", ["KHM", "THA"], day(40), (3, 5, 0), True, [("KHM", day(50))]),
    (
        "police_to_police",
        ["LAO", "VNM"],
        day(50),
        (2, 2, 0),
        True,
        [("VNM", TODAY + timedelta(30))],
    ),
    ("ctu_heads", ["IDN", "MYS"], day(60), (1, 4, 1), True, []),
    ("national_forum", ["KHM"], day(70), (10, 10, 0), False, []),
]
# Trainings: (country, start, topic, participants: (person, pre, post))
# People: name -> (country, sex, role, agency key or None)
PEOPLE = {
    "P1": ("KHM", "male", "prosecutor", "A1"),
    "P2": ("VNM", "female", "police", "A2"),
    "P3": ("KHM", "male", "police", None),
    "P4": ("THA", "female", "judge", None),
    "P5": ("IDN", "male", "diplomatic_consular", None),
    "P6": ("KHM", "female", "investigator", None),
}
AGENCIES = {"A1": "KHM", "A2": "VNM"}
TRAININGS = [
    ("KHM", day(20), "thb_vs_som", [("P1", 40, 70), ("P2", 50, 65), ("P3", 60, 65)]),
    ("THA", day(40), "osint", [("P4", 30, 60), ("P5", 20, 50)]),
    ("KHM", day(-100), "thb_vs_som", [("P6", 10, 80)]),
]
JUSTICE = ("police", "investigator", "prosecutor", "judge", "investigative_judge")
# Cases: (country, crime, stages [(stage, date)], defendants [(sex, outcome)], victims [(sex, n)])
CASES = [
    (
        "KHM",
        "thb",
        [("prosecution", day(30))],
        [("female", "pending"), ("male", "pending")],
        [("female", 3)],
    ),
    (
        "KHM",
        "som",
        [("investigation", day(10)), ("prosecution", day(50)), ("verdict", day(90))],
        [("male", "convicted")],
        [("male", 2)],
    ),
    (
        "THA",
        "thb",
        [("prosecution", day(40))],
        [("male", "pending"), ("male", "pending"), ("female", "pending")],
        [("female", 7)],
    ),
    ("VNM", "som", [("prosecution", day(60))], [("female", "pending")], []),
    ("KHM", "thb", [("prosecution", day(-100))], [("male", "pending")], [("male", 1)]),
]


@pytest.fixture
def world(users):
    """The records above, made through the services."""
    admin = users["admin"]
    for n, (requesting, requested, sent, final, status) in enumerate(MLA):
        req = make_request(
            admin,
            sent=sent,
            reference=f"SECTIONS/{n}",
            requesting_country=requesting,
            requested_country=requested,
        )
        if status == "received":
            mla_services.record_status(admin, req, "received", sent + timedelta(days=5))
        elif final is not None:
            ground = "other" if status == "refused" else None
            mla_services.record_status(admin, req, status, final, ground=ground)
    for n, (members, signed, arrests, opened, victims, active) in enumerate(JITS):
        jit = jit_services.create_jit(
            admin,
            {
                "name": f"Sections team {n}",
                "type": "mixed",
                "member_countries": members,
                "lead_country": members[0],
                "legal_basis": "actip",
                "agreement_signed": signed,
                "arrests": arrests,
                "prosecutions_opened": opened,
                **victims,
            },
        )
        if active:
            jit_services.change_status(admin, jit, "active")
    for n, (kind, countries, on, (women, men, other), counts, items) in enumerate(MEETINGS):
        meeting = meeting_services.create_meeting(
            admin,
            {
                "type": kind,
                "title": f"Sections meeting {n}",
                "date": on,
                "countries": countries,
                "participants_female": women,
                "participants_male": men,
                "participants_other": other,
                "counts_toward_2_6_1": counts,
            },
        )
        for owner, due in items:
            meeting_services.add_action_item(
                admin,
                meeting,
                {"owner_country": owner, "description": "Follow up", "due_date": due},
            )
    agencies = {
        key: AgencyFactory(country_code=country, name=f"Sections agency {key}")
        for key, country in AGENCIES.items()
    }
    people = {}
    for key, (country, sex, role, agency) in PEOPLE.items():
        people[key] = training_services.create_practitioner(
            admin,
            {
                "name": f"Sections person {key}",
                "sex": sex,
                "country": country,
                "role_type": role,
                "agency_id": agencies[agency].id if agency else None,
            },
        )[0]
    for n, (country, start, topic, participants) in enumerate(TRAININGS):
        course = training_services.create_training(
            admin,
            {
                "title": f"Sections course {n}",
                "country": country,
                "start_date": start,
                "end_date": start + timedelta(days=2),
                "modality": "in_person",
                "hours": 12,
                "organiser": "UNODC",
                "topics": [topic],
            },
        )
        for person, pre, post in participants:
            training_services.add_participation(
                admin,
                course,
                people[person],
                {"pre_score": pre, "post_score": post, "completed": True},
            )
    for n, (country, crime, stages, defendants, victims) in enumerate(CASES):
        first, first_day = stages[0]
        case = case_services.create_case(
            admin,
            {
                "country": country,
                "reference": f"SECTIONS-{n}",
                "crime_type": crime,
                "stage": first,
                "stage_date": first_day,
            },
            TODAY,
        )
        for stage, on in stages[1:]:
            case_services.record_stage(admin, case, stage, on)
        for sex, outcome in defendants:
            case_services.add_defendant(admin, case, {"sex": sex, "outcome": outcome})
        for sex, count in victims:
            case_services.set_victim_count(
                admin,
                case,
                {"sex": sex, "age_group": "adult", "nationality": country, "count": count},
            )


def brief_text(user, session):
    brief = services.request_brief(
        user,
        {
            "meeting_type": "somtc",
            "countries": "all",
            "period_from": START,
            "period_to": TODAY,
            "sections": list(SECTIONS),
        },
    )
    jobs.generate(brief.id)
    session.expire_all()
    brief = session.get(Brief, brief.id)
    assert brief.status == "done", brief.error
    return text_of(brief.pdf)


# -- the figures, counted by hand from the data above ---------------------------------------

THRESHOLD, OVERDUE = 10, 90  # the configured defaults: improvement and overdue thresholds
FINAL = ("executed", "partially_executed", "refused")
PENDING = ("sent", "received", "acknowledged", "in_execution")
ORDERED = sorted(MEMBERS, key=MEMBERS.get)  # the brief lists countries by name


@dataclass(frozen=True)
class Unit:
    """One thing a figure counts: its key (counted once), the countries it is shown under,
    and the countries through which an asker may see it."""

    key: object
    rows: frozenset
    scope: frozenset
    tag: object = None  # a crime type or a sex, where a figure is split


def unit(key, rows, scope=None, tag=None):
    return Unit(key, frozenset(rows), frozenset(rows if scope is None else scope), tag)


@dataclass(frozen=True)
class Asker:
    role: str
    own: str | None  # the one country an asker sees, or None for all

    def sees(self, countries):
        return self.own is None or self.own in countries

    def count(self, units, country=None, tag=None):
        return len(
            {
                u.key
                for u in units
                if self.sees(u.scope)
                and (country is None or country in u.rows)
                and (tag is None or u.tag == tag)
            }
        )

    def regional(self, units):
        """The region's total, or None when the units outside this asker's sight all concern
        one other country (or there are none): written apart from the app's rule, on sets."""
        rows = {u.key: u.rows for u in units}
        seen = {u.key for u in units if self.sees(u.scope)}
        outside = [rows[key] for key in rows if key not in seen]
        if not outside or any(
            all(c in countries for countries in outside) for c in MEMBERS if c != self.own
        ):
            return None
        return len(rows)


EVERYONE = Asker("unodc", None)


def case_dates(stages):
    """(investigation started, prosecution started, verdict) of a case's stages: each the date
    the case entered that stage, None when it did not (no date is taken from a later stage)."""
    on = dict(stages)
    return on.get("investigation"), on.get("prosecution"), on.get("verdict")


def mla_answered(when):
    return [
        unit(n, {a, b}, tag=(final - sent).days)
        for n, (a, b, sent, final, status) in enumerate(MLA)
        if status in FINAL and when(final)
    ]


def jits_signed(when):
    return [unit(n, members) for n, (members, signed, *_rest) in enumerate(JITS) if when(signed)]


def meetings_counted(when):
    return [
        unit(n, countries)
        for n, (_kind, countries, on, _people, counts, _items) in enumerate(MEETINGS)
        if counts and when(on)
    ]


def cases_prosecuted(when):
    return [
        unit(n, {country}, tag=crime)
        for n, (country, crime, stages, *_rest) in enumerate(CASES)
        if (started := case_dates(stages)[1]) and when(started)
    ]


def improved(when, roles=None, topic=None, agencies=False):
    """Participations that improved in trainings started in the period, counted by person
    (by agency for 2.4.1); seen through the training's or the person's country."""
    found = []
    for country, start, course_topic, participants in TRAININGS:
        for person, pre, post in participants:
            home, sex, role, agency = PEOPLE[person]
            if not when(start) or post - pre < THRESHOLD:
                continue
            if (roles and role not in roles) or (topic and course_topic != topic):
                continue
            if agencies and agency is None:
                continue
            key, rows = (agency, AGENCIES[agency]) if agencies else (person, home)
            found.append(unit(key, {rows}, {country, home}, tag=sex))
    return found


def persons(metric, when):
    """Defendants prosecuted or convicted, or victims identified, each one unit, by sex."""
    found = []
    for n, (country, _crime, stages, defendants, victims) in enumerate(CASES):
        _investigated, prosecuted, verdict = case_dates(stages)
        if metric == "victims_identified" and when(stages[0][1]):  # the earliest known stage
            people = [sex for sex, count in victims for _ in range(count)]
        elif metric == "persons_prosecuted" and prosecuted and when(prosecuted):
            people = [sex for sex, _outcome in defendants]
        elif metric == "persons_convicted" and verdict and when(verdict):
            people = [sex for sex, outcome in defendants if outcome == "convicted"]
        else:
            people = []
        found += [unit((n, i), {country}, tag=sex) for i, sex in enumerate(people)]
    return found


INDICATORS = {
    "2.3": cases_prosecuted,
    "2.4.1": lambda when: improved(when, topic="thb_vs_som", agencies=True),
    "2.5.1": lambda when: improved(when, roles=("diplomatic_consular",)),
    "2.5.2": lambda when: improved(when, roles=JUSTICE),
    "2.6.1": meetings_counted,
    "2.6.2": jits_signed,
}
METRICS = ("persons_prosecuted", "persons_convicted", "victims_identified")


def percentile(values, p):
    """Linear interpolation between the closest ranks (PostgreSQL percentile_cont)."""
    values = sorted(values)
    position = p / 100 * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def days_text(values, p):
    return f"{percentile(values, p):.1f}" if values else "—"


def small(n):
    return "<5" if 1 <= n <= 4 else str(n)


def shown(value, as_victims=False):
    if value is None:
        return "not shown"
    return small(value) if as_victims else str(value)


# -- the brief, read back --------------------------------------------------------------------

ASKERS = {
    "cambodian focal point": Asker("focal_point", "KHM"),
    "thai official": Asker("official", "THA"),
    "regional official": Asker("official", None),
    "unodc": Asker("unodc", None),
}
# What the world above is made to show: a country-scoped asker gets some regional totals and
# not others (checked against Asker.regional, so the data exercise both outcomes).
WITHHELD = {
    "KHM": {"2.4.1", "2.5.1", "2.5.2", "2.6.2", "persons_convicted", "victims_identified"},
    "THA": {"2.5.1", "2.6.2", "persons_convicted", "victims_identified"},
}
FOOTER = re.compile(r"RESTRICTED — FOR OFFICIAL USE Cooperation Registry page \d+ of \d+ ")


def sections_of(text):
    """The text of each section (whitespace made single spaces, page furniture removed)."""
    flat = FOOTER.sub("", re.sub(r"\s+", " ", text) + " ")
    body = flat[flat.index(SECTIONS["summary"] + " This brief") :]  # past the contents
    parts = {}
    titles = [*SECTIONS.values(), "Country pages One page"]
    for key, title, following in zip(SECTIONS, titles, titles[1:], strict=False):
        start = body.index(title)
        parts[key] = body[start : body.index(following, start)]
    parts["countries"] = body[body.index("Country pages One page") :]
    return parts


@pytest.fixture
def asker_user(request, users):
    asker = ASKERS[request.param]
    if asker.role == "focal_point":
        return asker, users["focal_point"]
    if asker.role == "official":
        return asker, users["official"] if asker.own else UserFactory(role="official")
    return asker, users["unodc"]


@pytest.mark.parametrize("asker_user", list(ASKERS), indirect=True)
def test_every_section_holds_the_figures_the_asker_may_see(asker_user, world, session):
    asker, user = asker_user
    assert (user.role, user.country_code) == (asker.role, asker.own)
    assert settings.get("IMPROVEMENT_THRESHOLD") == THRESHOLD
    assert settings.get("MLA_OVERDUE_DAYS") == OVERDUE
    part = sections_of(brief_text(user, session))
    scoped = asker.own is not None
    figures = {code: compute(in_period) for code, compute in INDICATORS.items()}
    previous = {code: compute(before) for code, compute in INDICATORS.items()}
    regional = {code: asker.regional(units) for code, units in figures.items()}
    people = {metric: persons(metric, in_period) for metric in METRICS}
    regional |= {metric: asker.regional(units) for metric, units in people.items()}
    answered, answered_before = mla_answered(in_period), mla_answered(before)
    regional["mla"] = asker.regional(answered)
    if scoped:
        assert {k for k, v in regional.items() if v is None} == WITHHELD[asker.own]
    days = [u.tag for u in answered if asker.sees(u.scope)]
    days_before = [u.tag for u in answered_before if asker.sees(u.scope)]
    pending = [
        (TODAY - sent).days
        for a, b, sent, _final, status in MLA
        if status in PENDING and asker.sees({a, b})
    ]
    overdue = sum(1 for age in pending if age > OVERDUE)

    # Executive summary
    summary = part["summary"]
    change = (
        f"{len(days) - len(days_before):+d} vs previous period"
        if days_before
        else ("no previous figure")
    )
    assert f"{len(days)} MLA requests answered {change}" in summary
    assert (
        f"{days_text(days, 50)} median days to answer previous: {days_text(days_before, 50)}"
        in (summary)
    )
    assert f"{overdue} pending requests overdue (over {OVERDUE} days) {len(pending)} pending" in (
        summary
    )
    for code, label in (
        ("2.3", "cases prosecuted (2.3)"),
        ("2.6.2", "JITs established (2.6.2)"),
        ("2.5.2", "justice practitioners improved (2.5.2)"),
    ):
        now, then = asker.count(figures[code]), asker.count(previous[code])
        assert f"{now} {label} previous: {then}" in summary, code

    # MLA requests and turnaround
    mla = part["mla"]
    assert (
        f"Requests answered in the period: {len(days)}; median turnaround {days_text(days, 50)} "
        f"days, 90th percentile {days_text(days, 90)} days (previous period: {len(days_before)} "
        f"answered, median {days_text(days_before, 50)} days)." in mla
    )
    if scoped:
        assert f"in the region: {shown(regional['mla'])}." in mla
    else:
        assert "in the region" not in mla
    for code in ORDERED:
        sent = sum(1 for a, b, on, *_ in MLA if a == code and asker.sees({a, b}) and in_period(on))
        got = sum(1 for a, b, on, *_ in MLA if b == code and asker.sees({a, b}) and in_period(on))
        mine = [u.tag for u in answered if code in u.rows and asker.sees(u.scope)]
        row = f" {MEMBERS[code]} {sent} {got} {len(mine)} {days_text(mine, 50)} {days_text(mine, 90)} "
        assert row in mla, row
    bands = [
        sum(1 for age in pending if low <= age <= high)
        for low, high in ((0, 30), (31, 90), (91, 180), (181, 10**6))
    ]
    assert (
        f"0–30 days {bands[0]} 31–90 days {bands[1]} 91–180 days {bands[2]} over 180 days "
        f"{bands[3]} Overdue (over {OVERDUE} days) {overdue}" in mla
    )

    # Joint investigation teams
    teams = [t for t in JITS if in_period(t[1]) and asker.sees(t[0])]
    victims = {}
    for *_rest, counts, _active in teams:
        for field, n in counts.items():
            victims[field] = victims.get(field, 0) + n
    active = sum(1 for members, *_rest, is_active in JITS if is_active and asker.sees(members))
    jits = part["jits"]
    assert (
        f"established (agreement signed) in the period: {len(teams)} (indicator 2.6.2: "
        f"{asker.count(figures['2.6.2'])}); active now (teams past their planned end not counted): "
        f"{active}." in jits
    )
    women, girls, men, boys = (
        small(victims.get(f"victims_{sex}_{age}", 0))
        for sex, age in (
            ("female", "adult"),
            ("female", "child"),
            ("male", "adult"),
            ("male", "child"),
        )
    )
    assert (
        f"Arrests by teams established in the period {sum(t[2] for t in teams)} Prosecutions "
        f"opened {sum(t[3] for t in teams)} Victims identified (women / girls / men / boys / "
        f"other) {women} / {girls} / {men} / {boys} / 0" in jits
    )

    # Meetings and open action items
    held = [m for m in MEETINGS if in_period(m[2]) and asker.sees(m[1])]
    meetings = part["meetings"]
    assert f"; {asker.count(figures['2.6.1'])} count toward indicator 2.6.1." in meetings
    types = " ".join(
        f"{label} {n}"
        for kind, label in MEETING_TYPES.items()
        if (n := sum(1 for m in held if m[0] == kind))
    )
    sums = [sum(m[3][i] for m in held) for i in range(3)]
    assert (
        f"Type Meetings {types} Participants: {sums[0]} women, {sums[1]} men, {sums[2]} other "
        "or not stated." in meetings
    )
    items = [item for m in MEETINGS if asker.sees(m[1]) for item in m[5]]
    owners = " ".join(
        f"{MEMBERS[c]} {n}" for c in ORDERED if (n := sum(1 for owner, _ in items if owner == c))
    )
    late = sum(1 for _owner, due in items if due < TODAY)
    assert f"Owner Open items {owners or 'None.'} Overdue {late}" in meetings

    # Training and capacity
    training = part["training"]
    for code in ("2.4.1", "2.5.1", "2.5.2"):
        found = re.search(rf"{re.escape(code)} (?:agencies|persons): \D*?(\d+) (\d+)", training)
        assert found, code
        assert found.groups() == (
            str(asker.count(previous[code])),
            str(asker.count(figures[code])),
        ), code

    # Prosecutions and outcomes
    cases = part["prosecutions"]
    assert (
        f"cases whose prosecution stage started in the period: {asker.count(figures['2.3'])} "
        f"(previous period: {asker.count(previous['2.3'])})." in cases
    )
    assert ("this account sees its own country's only" in cases) == scoped
    for code in ORDERED:
        cells = []
        for metric in METRICS:
            units = [u for u in people[metric] if code in u.rows]
            total, female, male = (asker.count(units, tag=tag) for tag in (None, "female", "male"))
            cells.append(
                small(total) if metric == "victims_identified" else (f"{total} ({female} / {male})")
            )
        row = f" {MEMBERS[code]} {' '.join(cells)} "
        assert (row in cases) == (code == asker.own or not scoped), row
    region_row = "Region (all selected countries) " + " ".join(
        shown(regional[m], as_victims=m == "victims_identified") for m in METRICS
    )
    assert (region_row in cases) == scoped

    # Logframe indicators
    indicators = part["indicators"]
    for code in INDICATORS:
        found = re.search(
            rf" {re.escape(code)} \D*?inception \D*?inception (\d+) (\d+)(?: (\d+|not shown))? ",
            indicators,
        )
        assert found, code
        expected = [str(asker.count(previous[code])), str(asker.count(figures[code]))]
        expected.append(shown(regional[code]) if scoped else None)
        assert list(found.groups()) == expected, code
    for code in ORDERED:
        row = " ".join(str(asker.count(figures[i], country=code)) for i in INDICATORS)
        assert f" {MEMBERS[code]} {row} " in indicators, (code, row)
    assert ('"Not shown": the records outside' in indicators) == (
        scoped and None in [regional[c] for c in INDICATORS]
    )

    # Methodology annex
    annex = part["methodology"]
    assert f"({user.role_label}, {user.scope_label})" in annex
    assert f"threshold (now {OVERDUE} days)" in annex
    assert "Regional totals" in annex and "all concern one other selected country" in annex

    # Country pages
    pages = part["countries"]
    for code in ORDERED:
        sent = sum(1 for a, b, on, *_ in MLA if a == code and asker.sees({a, b}) and in_period(on))
        got = sum(1 for a, b, on, *_ in MLA if b == code and asker.sees({a, b}) and in_period(on))
        mine = [u.tag for u in answered if code in u.rows and asker.sees(u.scope)]
        improved_people = figures["2.5.1"] + figures["2.5.2"]
        women, men = (
            asker.count(improved_people, country=code, tag=sex) for sex in ("female", "male")
        )
        thb, som = (asker.count(figures["2.3"], country=code, tag=c) for c in ("thb", "som"))
        page = (
            f" {MEMBERS[code]} MLA requests sent / received in the period {sent} / {got} MLA "
            f"requests answered; median days {len(mine)}; {days_text(mine, 50)} Cases prosecuted "
            f"(2.3): THB / SOM {thb} / {som} Agencies improved on THB vs SOM (2.4.1) "
            f"{asker.count(figures['2.4.1'], country=code)} Practitioners improved (2.5.1 + "
            f"2.5.2): women / men {women} / {men} Meetings counting toward 2.6.1 "
            f"{asker.count(figures['2.6.1'], country=code)} JITs established (2.6.2) "
            f"{asker.count(figures['2.6.2'], country=code)} "
        )
        assert page in pages, page
