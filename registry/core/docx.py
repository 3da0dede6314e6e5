"""An editable .docx copy of a printed page: the same HTML the PDF is made from, walked into
headings, paragraphs and tables (python-docx), so both hold the same text."""

import io
from html.parser import HTMLParser

from docx import Document
from docx.shared import Pt

HEADINGS = {"h1": 0, "h2": 1, "h3": 2}
BLOCKS = {"p", "dt", "dd", "li", "div", "blockquote", "figcaption"}
# Left out: what only styles or lays out the page, and the charts' SVG (the PDF's pictures).
SKIPPED = {"head", "style", "script", "svg", "nav"}


class _Walker(HTMLParser):
    def __init__(self, document):
        super().__init__(convert_charrefs=True)
        self.document = document
        self.skip = 0
        self.text = []
        self.heading = None
        self.table = None  # rows of cells while inside a <table>
        self.cell = None

    def _flush(self):
        text = " ".join("".join(self.text).split())
        self.text = []
        if not text:
            return
        if self.cell is not None:
            self.cell.append(text)
        elif self.heading is not None:
            self.document.add_heading(text, level=self.heading)
        else:
            self.document.add_paragraph(text)

    def handle_starttag(self, tag, attrs):
        if self.skip or tag in SKIPPED:
            self.skip += tag in SKIPPED
            return
        if tag == "br":
            self.text.append(" ")
            return
        if tag in HEADINGS or tag in BLOCKS or tag in ("table", "tr"):
            self._flush()
        if tag in HEADINGS:
            self.heading = HEADINGS[tag]
        elif tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self._flush()
            self.cell = []

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= tag in SKIPPED
            return
        if tag in ("td", "th") and self.cell is not None:
            self._flush()
            if self.table:
                self.table[-1].append(" ".join(self.cell))
            self.cell = None
        elif tag == "table" and self.table is not None:
            self._write_table(self.table)
            self.table = None
        elif tag in HEADINGS:
            self._flush()
            self.heading = None
        elif tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)

    def _write_table(self, rows):
        rows = [row for row in rows if row]
        if not rows:
            return
        width = max(len(row) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for cells, row in zip(table.rows, rows, strict=True):
            for cell, text in zip(cells.cells, row, strict=False):
                cell.text = text

    def close(self):
        super().close()
        self._flush()


def html_to_docx(html):
    """The page's text as a Word document (bytes)."""
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    walker = _Walker(document)
    walker.feed(html)
    walker.close()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
