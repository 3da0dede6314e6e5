#!/usr/bin/env bash
# Mutation testing of the rule modules (mutmut 3; configuration in pyproject.toml [tool.mutmut]).
# Each mutant of a rule function runs the tests that reach that function; a mutant no test
# fails is a rule the suite would let change unnoticed. Prints the score and the survivors and
# fails under MUTATION_MIN percent killed (default 90). It starts afresh each time: mutmut keeps
# the copies it made in mutants/ and would run stale templates and tests.
#
# Left out, and why: roles_required, signed_in and public run once, when the app is imported,
# before mutmut forks a worker per mutant, so their mutants never take effect (the route walker
# checks what they declare against tests/policy.py); the request-time half of the gate,
# permissions.refusal, is in. core/sql.py's PostgreSQL days_between is left out because the
# mutants run on SQLite only (see pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
MIN=${MUTATION_MIN:-90}
BIN=${BIN:-.venv/bin}
rm -rf mutants
PATTERNS=(
    "registry.core.permissions.x_refusal__*"
    "registry.core.permissions.x_country_scope__*"
    "registry.core.permissions.x_scoped__*"
    "registry.core.permissions.x_visible_or_404__*"
    "registry.core.export.x_suppress__*"
    "registry.core.export.x_safe_cell__*"
    "registry.core.sql.x_grouped_percentiles__*"
    "registry.core.sql.x__days_between_sqlite__*"
    "registry.blueprints.mla.stats.*"
    "registry.blueprints.indicators.compute.*"
    "registry.blueprints.*.services.x_can_*"
    "registry.blueprints.*.services.x_is_party__*"
    "registry.blueprints.*.services.x__own_or_regional__*"
    "registry.blueprints.*.services.x_visible_to__*"
    "registry.blueprints.*.services.x_shown_person__*"
)
started=$(date +%s)
# mutmut draws a progress line per mutant; keep the log, show its last line.
$BIN/mutmut run "${PATTERNS[@]}" > mutants.log 2>&1 || { tail -c 3000 mutants.log; exit 1; }
tr '\r' '\n' < mutants.log | grep -a . | tail -n 2
$BIN/mutmut results --all true 2>/dev/null \
    | $BIN/python bench/mutation_score.py --min "$MIN" "${PATTERNS[@]}"
echo "mutation testing took $(( $(date +%s) - started )) s"
