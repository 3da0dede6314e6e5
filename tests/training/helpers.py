"""Build trainings and participant files for tests."""

import csv
import io
from datetime import date

from openpyxl import Workbook

from registry.blueprints.training import services

HEADER = ["name", "sex", "agency", "role", "country", "pre", "post"]


def make_training(actor, **overrides):
    data = {
        "title": "Detection and investigation",
        "country": "KHM",
        "start_date": date(2026, 3, 2),
        "end_date": date(2026, 3, 4),
        "modality": "in_person",
        "hours": 21,
        "organiser": "UNODC",
        "topics": ["thb_vs_som"],
        **overrides,
    }
    return services.create_training(actor, data)


def make_person(actor, **overrides):
    data = {
        "name": "Sokha Chan",
        "sex": "female",
        "country": "KHM",
        "role_type": "investigator",
        **overrides,
    }
    return services.create_practitioner(actor, data)[0]


def csv_bytes(rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=HEADER):
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
