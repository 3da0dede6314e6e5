"""Read the rows of an uploaded .csv or .xlsx file, refusing what is not one.

A spreadsheet is inspected before it is parsed, so that a small hostile file cannot take a
worker's memory or time (an .xlsx is a zip of XML):

- the zip may hold at most `MAX_MEMBERS` files, expanding to at most
  `XLSX_MAX_UNCOMPRESSED_BYTES` in all, none compressed more than `MAX_RATIO` times (zipfile
  never inflates a member past the size it declares, so the declared sizes bound the work);
- each worksheet is scanned as a stream (expat, no tree is kept): a declared
  `<dimension>`, the rows or the cells of a row beyond `IMPORT_MAX_ROWS` /
  `IMPORT_MAX_COLUMNS` refuse the file at once;
- openpyxl then reads in read-only mode, ignoring the dimension the file claims (it would pad
  every row to it), and stops at the limits whatever the file says.

A CSV is bounded by the same row and column limits. Limits are in the configuration.
"""

import csv
import io
import re
import zipfile
import zlib
from xml.parsers import expat

from flask import current_app
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from registry.core.errors import ValidationFailed

MAX_MEMBERS = 500
MAX_RATIO = 200  # only for members above RATIO_FLOOR bytes; XML rarely compresses 30 times
RATIO_FLOOR = 1024 * 1024
SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
# The parser's own failures on a malformed file (zlib/CRC errors, broken XML, odd values).
UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    expat.ExpatError,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    IndexError,
    EOFError,
)


def _refuse(message):
    raise ValidationFailed("The file was refused.", {"file": [message]})


def _unreadable():
    return ValidationFailed(
        "The file could not be read.", {"file": ["This is not a readable .xlsx spreadsheet."]}
    )


def _size(n):
    return f"{n // 1024 // 1024} MB" if n >= 1024 * 1024 else f"{n} bytes"


class Limits:
    def __init__(self, config):
        self.rows = config["IMPORT_MAX_ROWS"]
        self.columns = config["IMPORT_MAX_COLUMNS"]
        self.uncompressed = config["XLSX_MAX_UNCOMPRESSED_BYTES"]

    def check(self, rows, columns):
        if rows > self.rows:
            _refuse(f"The file has more than {self.rows:,} rows; split it into smaller files.")
        if columns > self.columns:
            _refuse(f"The file has more than {self.columns} columns.")


def read_table(filename, content, max_bytes):
    """Return the rows of a .csv (UTF-8) or .xlsx file as lists of strings."""
    if not content:
        raise ValidationFailed("The file is empty.", {"file": ["The file is empty."]})
    if len(content) > max_bytes:
        raise ValidationFailed(
            "The file is too large.", {"file": [f"The file is larger than {_size(max_bytes)}."]}
        )
    limits = Limits(current_app.config)
    lower = (filename or "").lower()
    if lower.endswith(".csv"):
        return _read_csv(content, limits)
    if lower.endswith(".xlsx"):
        _inspect_xlsx(content, limits)
        return _read_xlsx(content, limits)
    raise ValidationFailed("Unsupported file.", {"file": ["Upload a .xlsx or .csv file."]})


def _read_csv(content, limits):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            "The file could not be read.",
            {"file": ["Save the CSV file as UTF-8 and upload it again."]},
        ) from exc
    if "\x00" in text:
        _refuse("The file holds NUL characters; save it again as a UTF-8 CSV.")
    rows = []
    try:
        for row in csv.reader(io.StringIO(text)):
            rows.append(row)
            limits.check(len(rows), len(row))
    except csv.Error as exc:
        _refuse(f"The CSV file is malformed: {exc}.")
    return rows


def _inspect_xlsx(content, limits):
    """Refuse a zip or a worksheet that would expand past the limits, before openpyxl."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except UNREADABLE as exc:
        raise _unreadable() from exc
    if len(members) > MAX_MEMBERS:
        _refuse(f"The spreadsheet holds more than {MAX_MEMBERS} parts.")
    if sum(m.file_size for m in members) > limits.uncompressed:
        _refuse(f"The spreadsheet expands to more than {_size(limits.uncompressed)}.")
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            _refuse("The spreadsheet is compressed beyond what a real one is.")
    try:
        for member in members:
            if SHEET.fullmatch(member.filename):
                with archive.open(member) as stream:
                    _scan_sheet(stream, limits)
    except UNREADABLE as exc:
        raise _unreadable() from exc


def _scan_sheet(stream, limits):
    """Stream one worksheet's XML (expat, no tree kept): its declared dimension, then its
    rows and the cells of each row."""
    counts = {"rows": 0, "cells": 0}
    parser = expat.ParserCreate()

    def start(name, attrs):
        tag = name.rpartition(":")[2]
        if tag == "c":
            counts["cells"] += 1
            if counts["cells"] > limits.columns:
                limits.check(counts["rows"], counts["cells"])
        elif tag == "row":
            counts["rows"] = max(counts["rows"] + 1, int(attrs.get("r") or 0))
            counts["cells"] = 0
            if counts["rows"] > limits.rows:
                limits.check(counts["rows"], 0)
        elif tag == "dimension":
            min_col, min_row, max_col, max_row = range_boundaries(attrs.get("ref") or "A1")
            limits.check((max_row or 1) - (min_row or 1) + 1, (max_col or 1) - (min_col or 1) + 1)

    parser.StartElementHandler = start
    while chunk := stream.read(64 * 1024):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _read_xlsx(content, limits):
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.active
        sheet.reset_dimensions()  # a claimed dimension would pad every row to it
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else _text(v) for v in row])
            limits.check(len(rows), len(row))
        book.close()
    except UNREADABLE as exc:
        raise _unreadable() from exc
    return rows


def _text(value):
    # Dates typed into a spreadsheet come back as datetimes; keep them as YYYY-MM-DD.
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()
