"""Time bulk imports of MLA requests and prosecution cases on PostgreSQL: reading the CSV,
checking every row by the services' rules, writing the records, their history and their audit
events, committing. A re-import of the same file then finds every row unchanged.

Usage: .venv/bin/python bench/imports.py [--url postgresql+psycopg://postgres@127.0.0.1/registry_import_bench] [--rows 20000]
"""

import argparse
import csv
import io
import random
import time
from datetime import date, timedelta

import flask_migrate
import sqlalchemy as sa

from registry import create_app, demo
from registry.blueprints.auth.services import find_user
from registry.blueprints.imports.registry import IMPORTERS
from registry.core import importer
from registry.core.spreadsheet import read_table
from registry.extensions import db


def to_csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def mla_file(rows):
    rng = random.Random(7)
    header = [
        "reference",
        "requesting_country",
        "requested_country",
        "crime_type",
        "legal_basis",
        "assistance_types",
        "date_sent",
        "date_received",
        "final_status",
        "final_date",
    ]
    lines = []
    for n in range(rows):
        sent = date(2024, 1, 1) + timedelta(days=rng.randint(0, 500))
        pair = rng.choice([("KHM", "THA"), ("THA", "KHM"), ("IDN", "MYS"), ("MYS", "IDN")])
        answered = rng.random() < 0.7
        lines.append(
            [
                f"BENCH-{n:06d}",
                *pair,
                "thb",
                "asean_mlat",
                "evidence;bank_records",
                sent,
                sent + timedelta(days=10),
                "executed" if answered else "",
                sent + timedelta(days=90) if answered else "",
            ]
        )
    return to_csv(header, lines)


def cases_file(rows):
    rng = random.Random(8)
    header = ["country", "reference", "crime_type", "stage", "stage_date", "exploitation_forms"]
    header += ["transnational", "cyber_enabled"]
    lines = [
        [
            rng.choice(["KHM", "THA", "VNM", "PHL"]),
            f"BENCH-C-{n:06d}",
            rng.choice(["thb", "som"]),
            rng.choice(["investigation", "prosecution", "trial", "verdict"]),
            date(2024, 1, 1) + timedelta(days=rng.randint(0, 600)),
            rng.choice(["forced_criminality", "sexual_exploitation;forced_labour", ""]),
            rng.choice(["yes", "no"]),
            rng.choice(["yes", "no"]),
        ]
        for n in range(rows)
    ]
    return to_csv(header, lines)


FILES = {"mla": mla_file, "cases": cases_file}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/registry_import_bench"
    )
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    admin = sa.create_engine(args.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    name = args.url.rsplit("/", 1)[1]
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    app = create_app({"DATABASE_URL": args.url})
    with app.app_context():
        flask_migrate.upgrade()
        demo.seed("small", 2026)
        db.session.commit()
        actor = find_user("admin@registry.example.org")
        for kind, make in FILES.items():
            content = make(args.rows)
            for label, save in (("dry run", False), ("import", True), ("re-import", True)):
                start = time.perf_counter()
                table = read_table("bench.csv", content, 50 * 1024 * 1024)
                report = importer.run(actor, IMPORTERS[kind], table, save=save)
                db.session.commit()
                seconds = time.perf_counter() - start
                print(
                    f"{kind:<6} {label:<10} {len(report.rows)} rows in {seconds:.1f} s = "
                    f"{len(report.rows) / seconds:,.0f} rows/s (created {report.count('created')}, "
                    f"unchanged {report.count('unchanged')}, refused {len(report.refused)})"
                )


if __name__ == "__main__":
    main()
