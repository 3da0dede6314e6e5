"""Indicator rules at their edges: inclusive periods, the improvement threshold, the country
filter, the order of the rows and their shape. Expected values are counted by hand."""

from datetime import timedelta

from registry.blueprints.indicators import compute
from registry.blueprints.jits import services as jits
from registry.blueprints.meetings import services as meetings
from registry.blueprints.prosecutions import services as prosecutions
from registry.blueprints.training import services as training
from tests.factories import AgencyFactory
from tests.fixtures.clock import TODAY
from tests.training.helpers import make_person, make_training

START = TODAY - timedelta(days=300)
END = TODAY - timedelta(days=30)
DAY = timedelta(days=1)
_n = iter(range(1, 10**6))


def improved_on(actor, person, on, gain, topics=("thb_vs_som",)):
    """Train `person` in a training starting `on`, with a post-test `gain` points above the
    pre-test."""
    course = make_training(
        actor,
        title=f"Course {next(_n)}",
        start_date=on,
        end_date=on + DAY,
        topics=list(topics),
    )
    training.add_participation(actor, course, person, {"pre_score": 30, "post_score": 30 + gain})
    return course


# 2.3 cases prosecuted


def case(actor, country, crime, stage_date, stage="prosecution"):
    return prosecutions.create_case(
        actor,
        {
            "country": country,
            "reference": f"{country}-RULE-{next(_n)}",
            "crime_type": crime,
            "stage": stage,
            "stage_date": stage_date,
        },
        TODAY,
    )


def test_cases_prosecuted_count_prosecutions_started_on_the_first_and_last_day(users):
    u = users["unodc"]
    made = [
        ("THA", "som", START),  # first day
        ("KHM", "thb", END),  # last day
        ("KHM", "som", START + 10 * DAY),
        ("KHM", "som", START + 20 * DAY),
        ("KHM", "thb", START - DAY),  # the day before
        ("THA", "thb", END + DAY),  # the day after
    ]
    for country, crime, on in made:
        case(u, country, crime, on)
    case(u, "THA", "thb", START + DAY, stage="investigation")  # not prosecuted
    by_hand = {}
    for country, crime, on in made:
        if START <= on <= END:
            by_hand[(country, crime)] = by_hand.get((country, crime), 0) + 1
    result = compute.cases_prosecuted(u, START, END)
    # Listed by country, then crime type; no sex breakdown for cases.
    assert result["rows"] == [
        {"country": c, "crime_type": t, "value": n, "sex": None}
        for (c, t), n in sorted(by_hand.items())
    ]
    assert result["rows"] == [
        {"country": "KHM", "crime_type": "som", "value": 2, "sex": None},
        {"country": "KHM", "crime_type": "thb", "value": 1, "sex": None},
        {"country": "THA", "crime_type": "som", "value": 1, "sex": None},
    ]
    assert result["total"] == 4


def test_cases_prosecuted_for_one_country_leave_out_the_others(users):
    u = users["unodc"]
    case(u, "KHM", "thb", START + DAY)
    case(u, "THA", "thb", START + DAY)
    case(u, "THA", "som", START + DAY)
    result = compute.cases_prosecuted(u, START, END, ["THA"])
    assert [(r["country"], r["crime_type"], r["value"]) for r in result["rows"]] == [
        ("THA", "som", 1),
        ("THA", "thb", 1),
    ]
    assert result["total"] == 2


# 2.4.1 agencies with a practitioner who improved (THB vs SOM trainings)


def agencies_world(u):
    """Practitioners of agencies of several countries improving (or not) around the period."""
    khm_a, khm_b = AgencyFactory(country_code="KHM"), AgencyFactory(country_code="KHM")
    others = {c: AgencyFactory(country_code=c) for c in ("VNM", "THA", "MYS", "LAO")}
    threshold = 10  # the default IMPROVEMENT_THRESHOLD
    people = [
        # (agency, practitioner country, training start, gain)
        (others["THA"], "THA", START, threshold),  # first day, exactly the threshold
        (khm_a, "KHM", END, 25),  # last day
        (khm_a, "KHM", START + 5 * DAY, 40),  # same agency again: counts once
        (khm_b, "KHM", START - DAY, 40),  # the day before
        (khm_b, "KHM", END + DAY, 40),  # the day after
        (khm_b, "KHM", START + 5 * DAY, threshold - 1),  # just below the threshold
        (others["VNM"], "VNM", START + 7 * DAY, 30),
        (others["MYS"], "MYS", START + 8 * DAY, 30),
        (others["LAO"], "LAO", START + 9 * DAY, 30),
    ]
    for agency, country, on, gain in people:
        person = make_person(u, name=f"P {next(_n)}", country=country, agency_id=agency.id)
        improved_on(u, person, on, gain)
    by_hand = {}
    for agency, _country, on, gain in people:
        if START <= on <= END and gain >= threshold:
            by_hand.setdefault(agency.country_code, set()).add(agency.id)
    return {country: len(ids) for country, ids in by_hand.items()}


def test_agencies_improved_count_each_agency_once_per_country_on_the_period_edges(users):
    u = users["unodc"]
    by_hand = agencies_world(u)
    result = compute.agencies_improved(u, START, END)
    assert result["rows"] == [
        {"country": c, "value": n, "sex": None} for c, n in sorted(by_hand.items())
    ]
    assert by_hand == {"KHM": 1, "LAO": 1, "MYS": 1, "THA": 1, "VNM": 1}
    assert result["total"] == 5


def test_agencies_improved_for_one_country_leave_out_the_others(users):
    u = users["unodc"]
    agencies_world(u)
    result = compute.agencies_improved(u, START, END, ["THA"])
    assert result == {"rows": [{"country": "THA", "value": 1, "sex": None}], "total": 1}


def test_agencies_improved_count_only_trainings_on_thb_vs_som(users):
    u = users["unodc"]
    agency = AgencyFactory(country_code="KHM")
    person = make_person(u, name="OSINT only", agency_id=agency.id)
    improved_on(u, person, START + DAY, 50, topics=("osint",))
    assert compute.agencies_improved(u, START, END) == {"rows": [], "total": 0}


# 2.5.1 / 2.5.2 people who improved, by country and sex


def people_world(u):
    """Justice practitioners and consular staff improving (or not) around the period."""
    people = [
        # (name, country, sex, role, training start, gain)
        ("Judge THA", "THA", "female", "judge", START, 10),  # first day, at the threshold
        ("Police KHM", "KHM", "male", "police", END, 30),  # last day
        ("Investigator KHM", "KHM", "female", "investigator", START + 9 * DAY, 20),
        ("Prosecutor KHM", "KHM", "female", "prosecutor", START + 9 * DAY, 9),  # below
        ("Police early", "KHM", "male", "police", START - DAY, 50),  # the day before
        ("Police late", "THA", "male", "police", END + DAY, 50),  # the day after
        ("Consul KHM", "KHM", "male", "diplomatic_consular", START, 15),
        ("Consul THA", "THA", "female", "diplomatic_consular", END, 15),
        ("Consul late", "THA", "male", "diplomatic_consular", END + DAY, 15),
    ]
    for name, country, sex, role, on, gain in people:
        person = make_person(u, name=name, country=country, sex=sex, role_type=role)
        improved_on(u, person, on, gain, topics=("osint",))
    return people


def by_hand(people, roles, countries=None):
    counts = {}
    for _name, country, sex, role, on, gain in people:
        counted = role in roles and START <= on <= END and gain >= 10
        if counted and (countries is None or country in countries):
            counts[(country, sex)] = counts.get((country, sex), 0) + 1
    return [{"country": c, "sex": s, "value": n} for (c, s), n in sorted(counts.items())]


JUSTICE = ("judge", "police", "investigator", "prosecutor")


def test_justice_improved_by_country_then_sex_on_the_period_edges(users):
    u = users["unodc"]
    people = people_world(u)
    result = compute.justice_improved(u, START, END)
    assert result["rows"] == by_hand(people, JUSTICE)
    assert result["rows"] == [
        {"country": "KHM", "sex": "female", "value": 1},
        {"country": "KHM", "sex": "male", "value": 1},
        {"country": "THA", "sex": "female", "value": 1},
    ]
    assert result["total"] == 3


def test_justice_improved_for_one_country_leave_out_the_others(users):
    u = users["unodc"]
    people = people_world(u)
    result = compute.justice_improved(u, START, END, ["THA"])
    assert result == {"rows": by_hand(people, JUSTICE, ["THA"]), "total": 1}


def test_consular_improved_for_one_country_leave_out_the_others(users):
    u = users["unodc"]
    people = people_world(u)
    assert compute.consular_improved(u, START, END)["rows"] == by_hand(
        people, ("diplomatic_consular",)
    )
    result = compute.consular_improved(u, START, END, ["KHM"])
    assert result == {"rows": [{"country": "KHM", "sex": "male", "value": 1}], "total": 1}


# 2.6.1 meetings held, 2.6.2 JITs established: per member country and in total


def meetings_world(u):
    held = [
        (START, "police_to_police", ["KHM", "THA"]),  # first day
        (END, "ctu_heads", ["THA", "LAO", "VNM"]),  # last day
        (START + 50 * DAY, "somtc", ["KHM", "LAO"]),
        (START - DAY, "police_to_police", ["KHM", "THA"]),  # the day before
        (END + DAY, "police_to_police", ["THA", "LAO"]),  # the day after
    ]
    for on, kind, countries in held:
        meetings.create_meeting(
            u, {"type": kind, "title": f"Meeting {next(_n)}", "date": on, "countries": countries}
        )
    meetings.create_meeting(  # a national forum does not count toward 2.6.1
        u,
        {"type": "national_forum", "title": "Forum", "date": START + DAY, "countries": ["THA"]},
    )
    return [(on, countries) for on, _kind, countries in held if START <= on <= END]


def per_country(held, countries=None):
    counts = {}
    for _on, members in held:
        if countries is None or set(members) & set(countries):
            for c in members:
                if countries is None or c in countries:
                    counts[c] = counts.get(c, 0) + 1
    return [{"country": c, "value": n, "sex": None} for c, n in sorted(counts.items())]


def test_meetings_held_count_meetings_on_the_period_edges_per_country(users):
    u = users["unodc"]
    held = meetings_world(u)
    result = compute.meetings_held(u, START, END)
    assert result["rows"] == per_country(held)
    assert [(r["country"], r["value"]) for r in result["rows"]] == [
        ("KHM", 2),
        ("LAO", 2),
        ("THA", 2),
        ("VNM", 1),
    ]
    assert result["total"] == len(held) == 3


def test_meetings_held_for_one_country_count_only_its_meetings(users):
    u = users["unodc"]
    held = meetings_world(u)
    result = compute.meetings_held(u, START, END, ["VNM"])
    assert result == {"rows": per_country(held, ["VNM"]), "total": 1}
    assert result["rows"] == [{"country": "VNM", "value": 1, "sex": None}]


def test_jits_established_per_member_country_and_in_total(users):
    admin = users["admin"]
    signed = [
        (START, ["KHM", "THA", "LAO"]),
        (END, ["THA", "VNM"]),
        (START - DAY, ["KHM", "THA"]),
        (END + DAY, ["LAO", "VNM"]),
    ]
    for on, members in signed:
        jits.create_jit(
            admin,
            {
                "name": f"JIT {next(_n)}",
                "type": "mixed",
                "member_countries": members,
                "lead_country": members[0],
                "legal_basis": "actip",
                "agreement_signed": on,
            },
        )
    inside = [(on, m) for on, m in signed if START <= on <= END]
    result = compute.jits_established(admin, START, END)
    assert result == {"rows": per_country(inside), "total": 2}
    assert compute.jits_established(admin, START, END, ["LAO"]) == {
        "rows": [{"country": "LAO", "value": 1, "sex": None}],
        "total": 1,
    }
