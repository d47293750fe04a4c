#!/usr/bin/env bash
# `make test`: system packages, venv, lint, pytest on SQLite, pytest on a throwaway PostgreSQL.
# Every step runs even if an earlier one failed; the exit status is non-zero if any step failed.
#
# Environment:
#   PYTEST_ARGS        extra arguments for both pytest runs (e.g. "-k login -x")
#   KP_TEST_SQLITE=0   skip the SQLite run
#   KP_TEST_PG=0       skip the PostgreSQL run
#   KP_SKIP_LINT=1     skip ruff and bandit
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
pg_dir=""

cleanup() {
    if [[ -n "$pg_dir" ]]; then
        scripts/pg-throwaway.sh stop "$pg_dir" || rm -rf "$pg_dir"
        pg_dir=""
    fi
}
trap 'cleanup; rm -f "${pytest_log:-}"' EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

step() { echo; echo "==> $*"; }

step "system packages"
scripts/ensure-system-deps.sh || { echo "system packages missing: cannot test" >&2; exit 1; }

step "virtualenv"
make --no-print-directory venv || { echo "could not build .venv" >&2; exit 1; }

if [[ "${KP_SKIP_LINT:-0}" != "1" ]]; then
    step "lint"
    make --no-print-directory lint || failed+=(lint)
fi

# shellcheck disable=SC2206
extra=(${PYTEST_ARGS:-})

total_passed=0
total_failed=0
pytest_log="$(mktemp "${TMPDIR:-/tmp}/kp-pytest.XXXXXX")"

# Add the counts from pytest's closing line ("== 3 failed, 590 passed, 1 error in 12.3s ==") to the totals.
count_results() {
    local summary n
    summary="$(grep -E '^(=+ )?[0-9a-z ,]*(passed|failed|errors?|no tests ran)[0-9a-z ,]* in [0-9.]+s' "$pytest_log" \
        | tail -n 1)"
    n="$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || true)"
    total_passed=$((total_passed + ${n:-0}))
    for kind in failed errors error; do
        n="$(grep -oE "[0-9]+ $kind\b" <<<"$summary" | grep -oE '[0-9]+' || true)"
        total_failed=$((total_failed + ${n:-0}))
    done
}

run_pytest() {
    local label="$1"
    shift
    local status=0
    "$@" .venv/bin/python -m pytest "${extra[@]}" 2>&1 | tee "$pytest_log" || status=$?
    count_results
    if [[ $status -ne 0 ]]; then
        # 5 = no tests collected: treated as a failure too, a suite that ran nothing proves nothing.
        echo "pytest ($label) exited with $status" >&2
        failed+=("pytest-$label")
    fi
}

if [[ "${KP_TEST_SQLITE:-1}" != "0" ]]; then
    step "pytest on SQLite"
    run_pytest sqlite env -u TEST_DATABASE_URL
fi

if [[ "${KP_TEST_PG:-1}" != "0" ]]; then
    step "pytest on PostgreSQL (throwaway cluster)"
    pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/kp-pg.XXXXXX")"
    if pg_url="$(scripts/pg-throwaway.sh start "$pg_dir")"; then
        echo "PostgreSQL at $pg_url"
        run_pytest postgresql env TEST_DATABASE_URL="$pg_url"
    else
        echo "could not start the throwaway PostgreSQL" >&2
        failed+=(postgresql-start)
    fi
    cleanup
fi

echo
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "make test: FAILED: ${failed[*]}"
else
    echo "make test: all steps passed"
fi
# Both pytest runs together, as the last line (the plain closing line CI reads).
echo "tests: $total_passed passed, $total_failed failed"
[[ ${#failed[@]} -eq 0 ]]
