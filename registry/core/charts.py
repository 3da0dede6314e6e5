"""Server-side SVG charts shared by pages and PDF briefs (pygal), each with a data table.

pygal writes plain SVG in milliseconds with no browser script, so the same chart renders
on a page and in WeasyPrint; the colours differ in lightness so they survive greyscale print.
"""

import re
from dataclasses import dataclass, field

import pygal
from markupsafe import Markup
from pygal.style import Style

PALETTE = ("#1f3b63", "#f0a830", "#3a8f85", "#b5442f", "#8c5a9e", "#c0c0c0")
FONT = "'Noto Sans', 'Noto Sans Thai', 'Noto Sans Khmer', 'Noto Sans Lao', sans-serif"
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1b2430",
    foreground_strong="#1b2430",
    foreground_subtle="#8a96a6",
    colors=PALETTE,
    font_family=FONT,
    title_font_size=15,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    value_font_size=10,
    opacity="1",
    opacity_hover="1",
)
# pygal always adds a small configuration script; pages and PDFs need none.
SCRIPT = re.compile(r"<script[^>]*>.*?</script>", re.DOTALL)
# Its (script-less) tooltip is hidden by a style attribute, which the pages' CSP refuses; the
# SVG presentation attribute does the same. The one <style> element gets the page's nonce.
HIDDEN = 'style="opacity: 0"'
KINDS = {"bar": pygal.Bar, "stacked_bar": pygal.StackedBar, "line": pygal.Line}


@dataclass
class Series:
    name: str
    values: list


@dataclass
class Chart:
    """An SVG chart and the same numbers as a table (for screen readers and checking)."""

    title: str
    x_title: str
    y_title: str
    labels: list
    series: list = field(default_factory=list)
    svg: Markup = Markup("")

    @property
    def table_rows(self):
        return [[label, *(s.values[i] for s in self.series)] for i, label in enumerate(self.labels)]


def make_chart(kind, title, labels, series, x_title="", y_title="", width=720, height=320):
    """Draw a bar, stacked_bar or line chart of `series` over `labels`."""
    chart = KINDS[kind](
        style=STYLE,
        width=width,
        height=height,
        title=title,
        x_title=x_title or None,
        y_title=y_title or None,
        disable_xml_declaration=True,
        js=[],
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        legend_at_bottom_columns=min(len(series), 4) or 1,
        print_values=False,
        include_x_axis=True,
        min_scale=4,
        max_scale=8,
        explicit_size=True,
        truncate_label=-1,
        x_label_rotation=30 if len(labels) > 6 else 0,
        value_formatter=_number,
        no_data_text="No data for this period",
    )
    chart.x_labels = [str(label) for label in labels]
    for s in series:
        chart.add(s.name, list(s.values))
    svg = SCRIPT.sub("", chart.render(is_unicode=True)).replace(HIDDEN, 'opacity="0"')
    return Chart(title, x_title, y_title, list(labels), list(series), Markup(svg))


def _number(value):
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
