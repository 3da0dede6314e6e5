"""Spreadsheet-safe exports."""

import csv
import io

from flask import Response
from openpyxl import Workbook

SMALL_CELL = 5  # victim counts from 1 to 4 print as "<5" (docs/architecture.md §4)
SUPPRESSED = f"<{SMALL_CELL}"

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def suppressed(cell):
    """True for a cell an export printed as "<5": on import it keeps the stored count."""
    return cell == SUPPRESSED


def suppress(value):
    """Print small victim counts as "<5" so that no victim can be singled out."""
    if value is None:
        return "—"
    return SUPPRESSED if 0 < value < SMALL_CELL else value


def safe_cell(value):
    """Neutralise a text cell a spreadsheet would evaluate as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(header, rows, filename):
    """A CSV download of rows (sequences matching header), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def xlsx_response(header, rows, filename, sheet="Data"):
    """An XLSX download of rows (sequences matching header), formula-safe."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append(list(header))
    for row in rows:
        ws.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def list_export(actor, kind, object_type, header, rows, filename, details=None):
    """Answer a list download (csv or xlsx) and write the export to the audit log."""
    from registry.core import audit
    from registry.extensions import db

    rows = list(rows)
    audit.record(
        actor, "export", object_type, None, {"rows": len(rows), "format": kind, **(details or {})}
    )
    db.session.commit()
    respond = csv_response if kind == "csv" else xlsx_response
    return respond(header, rows, f"{filename}.{kind}")
