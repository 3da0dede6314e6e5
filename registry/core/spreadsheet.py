"""Read the rows of an uploaded .csv or .xlsx file, refusing what is not one."""

import csv
import io
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from registry.core.errors import ValidationFailed


def read_table(filename, content, max_bytes):
    """Return the rows of a .csv (UTF-8) or .xlsx file as lists of strings."""
    if not content:
        raise ValidationFailed("The file is empty.", {"file": ["The file is empty."]})
    if len(content) > max_bytes:
        limit = (
            f"{max_bytes // 1024 // 1024} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
        )
        raise ValidationFailed(
            "The file is too large.", {"file": [f"The file is larger than {limit}."]}
        )
    lower = (filename or "").lower()
    if lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                "The file could not be read.",
                {"file": ["Save the CSV file as UTF-8 and upload it again."]},
            ) from exc
        return list(csv.reader(io.StringIO(text)))
    if lower.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ValidationFailed(
                "The file could not be read.",
                {"file": ["This is not a readable .xlsx spreadsheet."]},
            ) from exc
        rows = [
            ["" if v is None else _text(v) for v in row]
            for row in book.active.iter_rows(values_only=True)
        ]
        book.close()
        return rows
    raise ValidationFailed("Unsupported file.", {"file": ["Upload a .xlsx or .csv file."]})


def _text(value):
    # Dates typed into a spreadsheet come back as datetimes; keep them as YYYY-MM-DD.
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()
