"""Charts: the SVG and the data table carry the same numbers, for every kind."""

import pytest

from registry.core.charts import PALETTE, Series, make_chart


@pytest.mark.parametrize("kind", ["bar", "stacked_bar", "line"])
def test_chart_svg_and_table_agree(kind):
    chart = make_chart(
        kind,
        "Cases prosecuted per year",
        [2024, 2025],
        [Series("THB", [12, 30]), Series("SOM", [3, None])],
        x_title="Year",
        y_title="Cases",
    )
    svg = str(chart.svg)
    assert svg.startswith("<svg") and "<script" not in svg
    assert "Cases prosecuted per year" in svg and "THB" in svg and "SOM" in svg
    assert PALETTE[0] in svg and PALETTE[1] in svg
    assert chart.table_rows == [[2024, 12, 3], [2025, 30, None]]


def test_palette_differs_in_lightness_for_greyscale_print():
    def luminance(hex_colour):
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lights = sorted(luminance(c) for c in PALETTE[:4])
    assert all(b - a >= 20 for a, b in zip(lights, lights[1:], strict=False))
