"""Spreadsheet-safe exports."""

import csv
import io

from flask import Response
from openpyxl import Workbook

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
