"""The shared PDF helper: A4, marking, page numbers, scripts, nothing fetched from outside."""

import io

from flask import render_template_string
from pypdf import PdfReader

from registry.core.pdf import InlineOnlyFetcher, html_to_pdf

PROBE = """{% extends "pdf/base.html" %}{% block body %}<h1>Probe</h1>
<p>នាយកដ្ឋានប្រឆាំងការជួញដូរមនុស្ស · Cộng hòa Xã hội chủ nghĩa Việt Nam</p>
<img src="file:///etc/passwd"><img src="http://example.org/x.png">
<img src="data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>">
{% endblock %}"""


def test_pdf_is_a4_marked_and_refuses_outside_resources(app):
    fetcher = InlineOnlyFetcher()
    with app.test_request_context():
        pdf = html_to_pdf(
            render_template_string(PROBE, classification="RESTRICTED — test"), fetcher
        )
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    assert "RESTRICTED" in text and "page 1 of 1" in text
    assert "នាយកដ្ឋានប្រឆាំងការជួញដូរមនុស្ស" in text and "Cộng hòa Xã hội chủ nghĩa Việt Nam" in text
    assert fetcher.refused == ["file:///etc/passwd", "http://example.org/x.png"]
