"""The one way to make a PDF: a Jinja template under templates/pdf/ rendered by WeasyPrint."""

from flask import render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class ResourceRefused(ValueError):
    """A template asked for a resource outside the document."""


class InlineOnlyFetcher(URLFetcher):
    """Load only resources inside the document (data: URLs); refuse file:// and every host.

    Templates inline their CSS, SVG charts and images, so nothing on the disk or the
    network can be pulled into a PDF by a crafted value. Fonts come from fontconfig.
    """

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.refused = []

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            self.refused.append(url)
            raise ResourceRefused(f"resource outside the document refused: {url[:80]}")
        return super().fetch(url, headers)


def render_pdf(template, **context):
    """Render templates/pdf/<template> to PDF bytes."""
    return html_to_pdf(render_template(f"pdf/{template}", **context))


def html_to_pdf(html, fetcher=None):
    """Turn finished HTML into PDF bytes, fetching nothing outside the document."""
    return HTML(string=html, url_fetcher=fetcher or InlineOnlyFetcher()).write_pdf()
