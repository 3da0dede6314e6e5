"""CSV and XLSX exports neutralise spreadsheet formulas."""

import csv
import io

from openpyxl import load_workbook

from registry.core.export import csv_response, xlsx_response

ROWS = [["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "plain", 5, None]]


def test_csv_cells_that_start_a_formula_are_quoted(app):
    with app.app_context():
        body = csv_response(list("abcdefg"), ROWS, "x.csv").get_data(as_text=True)
    row = list(csv.reader(io.StringIO(body)))[1]
    assert row[:5] == ["'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "plain"]


def test_xlsx_cells_are_text_not_formulas(app):
    with app.app_context():
        data = xlsx_response(list("abcdefg"), ROWS, "x.xlsx").get_data()
    sheet = load_workbook(io.BytesIO(data)).active
    values = [cell.value for cell in sheet[2]]
    assert values[:6] == ["'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "plain", 5]
    assert all(cell.data_type != "f" for cell in sheet[2])
