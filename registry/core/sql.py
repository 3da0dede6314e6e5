"""SQL pieces that must compute the same figures on PostgreSQL and SQLite."""

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):
    """Whole days from the second date to the first (later - earlier)."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


def grouped_percentiles(values, keys, value, percents):
    """Count and percentiles of `value` per group of `keys`, as PostgreSQL percentile_cont.

    `values` is a subquery with the key columns and the value column; `percents` maps a
    label to a whole percentage (50 for the median). Linear interpolation between the two
    closest ranks: position = p/100 * (n - 1), computed in integers so that both backends
    agree exactly.
    """
    key_cols = [values.c[k] for k in keys]
    ranked = sa.select(
        *key_cols,
        values.c[value].label("v"),
        (sa.func.row_number().over(partition_by=key_cols, order_by=values.c[value]) - 1).label(
            "rn"
        ),
        sa.func.count().over(partition_by=key_cols).label("n"),
    ).subquery("ranked")
    columns = [ranked.c[k] for k in keys]
    selected = [*columns, sa.func.max(ranked.c.n).label("count")]
    for label, pct in percents.items():
        scaled = pct * (ranked.c.n - 1)  # position x 100, an integer
        low = scaled // 100
        frac = sa.cast(scaled % 100, sa.Float) / 100.0
        selected.append(
            sa.func.sum(
                sa.case(
                    (ranked.c.rn == low, ranked.c.v * (1.0 - frac)),
                    (ranked.c.rn == low + 1, ranked.c.v * frac),
                    else_=0.0,
                )
            ).label(label)
        )
    return sa.select(*selected).group_by(*columns).order_by(*columns)
