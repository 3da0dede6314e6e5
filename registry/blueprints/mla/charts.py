"""The analytics page's charts: time to a final response, stages and the yearly trend."""

from registry.blueprints.mla.stats import SMALL_NUMBER
from registry.core.charts import Series, make_chart
from registry.core.labels import label

# Days since sending at which the curves are read (the chart's points and its data table).
CHART_DAYS = (0, 30, 60, 90, 180, 365, 540, 730)
CURVES_SHOWN = 4  # one legend row: the pairs with most requests; the table lists them all


def still_waiting(row, day):
    """Per cent of the group without a final response `day` days after sending (Kaplan–Meier),
    or None past the group's longest follow-up, where the curve says nothing."""
    if day > row["longest_days"]:
        return None
    survival = [s for d, s in row["curve"] if d <= day][-1]
    return round(100 * survival, 1)


def pair_name(row, names):
    return f"{names.get(row['requesting_country'])} → {names.get(row['requested_country'])}"


def curves_chart(pair_rows, names):
    """Share still waiting by days since sending, for the pairs with most requests."""
    shown = sorted(pair_rows, key=lambda row: -row["n"])[:CURVES_SHOWN]
    return make_chart(
        "line",
        "Requests still waiting for a final response (Kaplan–Meier)",
        [str(day) for day in CHART_DAYS],
        [
            Series(pair_name(row, names), [still_waiting(row, day) for day in CHART_DAYS])
            for row in shown
        ],
        x_title="Days since sending",
        y_title="% still waiting",
    )


def stages_chart(stages):
    return make_chart(
        "bar",
        "Median days from each step to the next",
        [label("mla_step", row["step"]) for row in stages],
        [Series("Median days", [row["median_days"] for row in stages])],
        x_title="Step",
        y_title="Days",
    )


def judged(row, key):
    """A row's figure, or None when fewer than SMALL_NUMBER requests were answered."""
    return row[key] if row["events"] >= SMALL_NUMBER else None


def trend_chart(year_rows):
    return make_chart(
        "line",
        "Median days to a final response, by year sent",
        [str(row["year"]) for row in year_rows],
        [
            Series("Answered only (naive)", [judged(r, "naive_median_days") for r in year_rows]),
            Series("Kaplan–Meier", [judged(r, "km_median_days") for r in year_rows]),
        ],
        x_title="Year sent",
        y_title="Days",
    )
