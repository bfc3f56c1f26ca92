#!/usr/bin/env bash
# The single test command (`npm test`): typecheck, lint, unit, functional, integration, clients.
#
# Every step runs even when an earlier one failed, so one run shows everything that is wrong; the
# exit status is non-zero when any step failed. The last line is the summary
# `N passed, N failed[, N skipped]`, added up from the node test runner's own counts. A step that
# failed without a failing test to show for it (typecheck, lint, a crashed runner, a failed
# install) counts as one failure there, so the summary never reads clean when the run is not.
#
# Usage: bash scripts/test-all.sh [step...]   (steps: typecheck lint unit functional integration clients)
#
# Test files are found here with bash's globstar rather than handed to node as a glob: Node 20's
# `--test` does not expand globs (that came in Node 21) and fails on a pattern with "Could not find".
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
shopt -s globstar nullglob

ALL_STEPS=(typecheck lint unit functional integration clients)
if [ "$#" -gt 0 ]; then STEPS=("$@"); else STEPS=("${ALL_STEPS[@]}"); fi
for s in "${STEPS[@]}"; do
  case " ${ALL_STEPS[*]} " in *" $s "*) ;; *) echo "unknown step: $s (steps: ${ALL_STEPS[*]})" >&2; exit 2 ;; esac
done

LOG_DIR="$(mktemp -d -t tessera-tests.XXXXXX)"
trap 'rm -rf "$LOG_DIR"' EXIT

total_pass=0
total_fail=0
total_skip=0
failed_steps=()
step_report=()

# Strips colour codes, then adds up the runner's closing counts (spec: "ℹ pass 3", TAP: "# pass 3").
count() {
  local kind="$1" file="$2"
  sed -E 's/\x1b\[[0-9;]*m//g' "$file" | awk -v k="$kind" '($1 == "ℹ" || $1 == "#") && $2 == k && $3 ~ /^[0-9]+$/ && NF == 3 { n += $3 } END { print n + 0 }'
}

# run_step NAME COMMAND...: announces, runs, tees the output to a log, and tallies.
run_step() {
  local name="$1"; shift
  local log="$LOG_DIR/$name.log" start status=0
  echo
  echo "=== [$name] $*"
  start=$SECONDS
  if "$@" 2>&1 | tee "$log"; then status=0; else status=$?; fi
  local pass fail cancelled skipped todo
  pass=$(count pass "$log")
  fail=$(count fail "$log")
  cancelled=$(count cancelled "$log")
  skipped=$(count skipped "$log")
  todo=$(count todo "$log")
  fail=$((fail + cancelled))
  if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  total_skip=$((total_skip + skipped + todo))
  local took=$((SECONDS - start))
  if [ "$status" -eq 0 ]; then
    echo "=== [$name] ok in ${took}s"
    step_report+=("$name: ok (${took}s)")
  else
    echo "=== [$name] FAILED (exit $status) in ${took}s"
    failed_steps+=("$name")
    step_report+=("$name: FAILED (${took}s)")
  fi
}

# test_files GLOB: the files the glob matches, one a line.
test_files() {
  local glob="$1"
  local files=($glob)
  [ "${#files[@]}" -eq 0 ] || printf '%s\n' "${files[@]}"
}

# node_tests NAME CONCURRENCY GLOB: runs the matching test files, or says there are none.
node_tests() {
  local name="$1" concurrency="$2" glob="$3"
  local files
  mapfile -t files < <(test_files "$glob")
  if [ "${#files[@]}" -eq 0 ]; then
    echo
    echo "=== [$name] skipped: no files match $glob"
    step_report+=("$name: no tests")
    return 0
  fi
  run_step "$name" node --import tsx --test --test-concurrency="$concurrency" --test-reporter=spec "${files[@]}"
}

has_files() { [ -n "$(test_files "$1")" ]; }

# Same globs and concurrency as the test:* scripts in package.json.
UNIT_GLOB='src/**/*.test.ts'
FUNCTIONAL_GLOB='test/functional/**/*.test.ts'
INTEGRATION_GLOB='test/integration/**/*.test.ts'
CLIENTS_GLOB='test/clients/**/*.test.ts'

for step in "${STEPS[@]}"; do
  case "$step" in
    typecheck) run_step typecheck npx tsc -p tsconfig.json --noEmit ;;
    lint) run_step lint npx eslint . ;;
    unit) node_tests unit 2 "$UNIT_GLOB" ;;
    functional) node_tests functional 1 "$FUNCTIONAL_GLOB" ;;
    integration)
      if has_files "$INTEGRATION_GLOB"; then
        run_step postgres bash scripts/ensure-postgres.sh
        pg_url="$(tail -n 1 "$LOG_DIR/postgres.log")"
        case "$pg_url" in postgresql://*) export TESSERA_TEST_PG_URL="${TESSERA_TEST_PG_URL:-$pg_url}" ;; esac
      fi
      node_tests integration 1 "$INTEGRATION_GLOB"
      ;;
    clients)
      if has_files "$CLIENTS_GLOB"; then run_step openstack-client bash scripts/ensure-openstack-client.sh; fi
      node_tests clients 1 "$CLIENTS_GLOB"
      ;;
  esac
done

echo
echo "=== steps: ${step_report[*]/%/;}"
if [ "${#failed_steps[@]}" -gt 0 ]; then echo "=== failed steps: ${failed_steps[*]}"; fi
summary="$total_pass passed, $total_fail failed"
if [ "$total_skip" -gt 0 ]; then summary="$summary, $total_skip skipped"; fi
echo "$summary"
[ "${#failed_steps[@]}" -eq 0 ]
