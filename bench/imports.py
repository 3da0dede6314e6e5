"""Time a bulk import of MLA requests on PostgreSQL: reading the CSV, checking every row by the
services' rules, writing the requests, their history and their audit events, committing.

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

from registry import create_app
from registry.blueprints.auth.services import find_user
from registry.blueprints.imports.registry import IMPORTERS
from registry.core import demo, importer
from registry.core.spreadsheet import read_table
from registry.extensions import db


def make_file(rows):
    rng = random.Random(7)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
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
    )
    for n in range(rows):
        sent = date(2024, 1, 1) + timedelta(days=rng.randint(0, 500))
        pair = rng.choice([("KHM", "THA"), ("THA", "KHM"), ("IDN", "MYS"), ("MYS", "IDN")])
        answered = rng.random() < 0.7
        writer.writerow(
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
    return out.getvalue().encode()


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
    content = make_file(args.rows)
    with app.app_context():
        flask_migrate.upgrade()
        demo.seed("small", 2026)
        db.session.commit()
        actor = find_user("admin@registry.example.org")
        for label, save in (("dry run", False), ("import", True), ("re-import (unchanged)", True)):
            start = time.perf_counter()
            table = read_table("bench.csv", content, 50 * 1024 * 1024)
            report = importer.run(actor, IMPORTERS["mla"], table, save=save)
            db.session.commit()
            seconds = time.perf_counter() - start
            print(
                f"{label:<24} {len(report.rows)} rows in {seconds:.1f} s = {len(report.rows) / seconds:,.0f} rows/s "
                f"(created {report.count('created')}, unchanged {report.count('unchanged')}, refused {len(report.refused)})"
            )


if __name__ == "__main__":
    main()
