"""Time dashboard figures and indicator values on the `large` demo data set (PostgreSQL).

Usage: .venv/bin/python bench/dashboards.py [--url postgresql+psycopg://postgres@127.0.0.1/registry_bench] [--reseed]

Each figure is computed by the registry's own code and, next to it, by one hand-written SQL
query for the same figure; both times (best of 3) and both results are printed.
"""

import argparse
import time
from datetime import date

import flask_migrate
import sqlalchemy as sa

from registry import create_app, demo
from registry.blueprints.auth.services import find_user
from registry.blueprints.dashboard import figures
from registry.blueprints.indicators import services as indicators
from registry.blueprints.mla import stats
from registry.core.settings import is_demo
from registry.extensions import db

HAND_SQL = {
    "2.3": "SELECT count(*) FROM prosecution_case WHERE prosecution_started BETWEEN :a AND :b",
    "2.5.2": """SELECT count(DISTINCT p.id) FROM participation x JOIN practitioner p ON p.id = x.practitioner_id
                JOIN training t ON t.id = x.training_id WHERE t.start_date BETWEEN :a AND :b
                AND p.role_type IN ('police','investigator','prosecutor','judge','investigative_judge')
                AND x.post_score - x.pre_score >= 10""",
    "2.4.1": """SELECT count(DISTINCT p.agency_id) FROM participation x JOIN practitioner p ON p.id = x.practitioner_id
                JOIN training t ON t.id = x.training_id JOIN training_topic tt ON tt.training_id = t.id AND tt.topic = 'thb_vs_som'
                WHERE t.start_date BETWEEN :a AND :b AND p.agency_id IS NOT NULL AND x.post_score - x.pre_score >= 10""",
    "2.5.1": """SELECT count(DISTINCT p.id) FROM participation x JOIN practitioner p ON p.id = x.practitioner_id
                JOIN training t ON t.id = x.training_id WHERE t.start_date BETWEEN :a AND :b
                AND p.role_type = 'diplomatic_consular' AND x.post_score - x.pre_score >= 10""",
    "2.6.1": "SELECT count(*) FROM meeting WHERE date BETWEEN :a AND :b AND counts_toward_2_6_1",
    "2.6.2": "SELECT count(*) FROM jit WHERE agreement_signed BETWEEN :a AND :b",
    "mla pair turnaround": """SELECT requesting_country, requested_country, count(*),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY final_date - date_sent),
                percentile_cont(0.9) WITHIN GROUP (ORDER BY final_date - date_sent)
                FROM mla_request WHERE status IN ('executed','partially_executed','refused') AND date_sent IS NOT NULL
                GROUP BY 1, 2""",
    "regional pending": """SELECT c, count(*) FROM (SELECT requesting_country c FROM mla_request WHERE status IN
                ('sent','received','acknowledged','in_execution') UNION ALL SELECT requested_country FROM mla_request
                WHERE status IN ('sent','received','acknowledged','in_execution')) s GROUP BY c""",
}


def best(func, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times) * 1000, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/registry_bench"
    )
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    admin_url = args.url.rsplit("/", 1)[0] + "/postgres"
    name = args.url.rsplit("/", 1)[1]
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).scalar()
        if args.reseed and exists:
            conn.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
            exists = False
        if not exists:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    app = create_app({"DATABASE_URL": args.url})
    with app.app_context():
        flask_migrate.upgrade()
        if not is_demo():
            start = time.perf_counter()
            print(demo.seed("large", 2026))
            db.session.commit()
            db.session.execute(sa.text("ANALYZE"))
            print(f"seeded large demo data in {time.perf_counter() - start:.0f} s")
        user = find_user("unodc@registry.example.org")
        period = (date(2025, 1, 1), date(2025, 12, 31))
        countries = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "TLS", "VNM"]
        print(
            f"{'figure':<28}{'registry (ms)':>15}{'hand SQL (ms)':>15}  registry result / hand SQL result"
        )
        for code in ("2.3", "2.4.1", "2.5.1", "2.5.2", "2.6.1", "2.6.2"):
            ms, result = best(lambda code=code: indicators.values(user, code, *period))
            hand = HAND_SQL.get(code)
            hand_ms, hand_result = (
                best(
                    lambda hand=hand: db.session.execute(
                        sa.text(hand), dict(zip("ab", period, strict=True))
                    ).scalar()
                )
                if hand
                else (None, None)
            )
            print(
                f"indicator {code:<18}{ms:>15.1f}{(hand_ms or 0):>15.1f}  {result['total']} / {hand_result}"
            )
        ms, rows = best(lambda: stats.turnaround(user, "pair", stats.Filters()))
        hand_ms, hand = best(
            lambda: db.session.execute(sa.text(HAND_SQL["mla pair turnaround"])).all()
        )
        print(
            f"{'mla pair turnaround':<28}{ms:>15.1f}{hand_ms:>15.1f}  {len(rows)} pairs / {len(hand)} pairs"
        )
        ms, table = best(lambda: figures.regional(user, countries, date.today()))
        hand_ms, hand = best(
            lambda: db.session.execute(sa.text(HAND_SQL["regional pending"])).all()
        )
        print(
            f"{'regional dashboard':<28}{ms:>15.1f}{hand_ms:>15.1f}  pending KHM {table['KHM']['pending']} / {dict(hand).get('KHM')}"
        )
        focal = find_user("focal.khm@registry.example.org")
        ms, _snap = best(lambda: figures.snapshot(focal, "KHM", date.today()))
        print(f"{'focal point dashboard':<28}{ms:>15.1f}")
        ms, _c = best(lambda: figures.corridor(user, "KHM", "THA", date.today()))
        print(f"{'corridor KHM-THA':<28}{ms:>15.1f}")


if __name__ == "__main__":
    main()
