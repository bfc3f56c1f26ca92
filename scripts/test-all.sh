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
# The suites themselves are package.json's test:* scripts (scripts/run-tests.sh lists the files,
# since Node 20's --test does not expand globs).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

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

# has_tests DIR: whether DIR holds any *.test.ts (what scripts/run-tests.sh will look for).
has_tests() { [ -d "$1" ] && [ -n "$(find "$1" -name '*.test.ts' -print -quit)" ]; }

# npm_tests SUITE DIR: `npm run test:SUITE`, or a note that there is nothing to run.
npm_tests() {
  local suite="$1" dir="$2"
  if ! has_tests "$dir"; then
    echo
    echo "=== [$suite] skipped: no *.test.ts under $dir"
    step_report+=("$suite: no tests")
    return 0
  fi
  run_step "$suite" npm run --silent "test:$suite"
}

# The spec reporter for people even when the output goes through tee (node picks TAP when stdout
# is not a terminal); count() reads either.
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--test-reporter=spec"

for step in "${STEPS[@]}"; do
  case "$step" in
    typecheck) run_step typecheck npx tsc -p tsconfig.json --noEmit ;;
    lint) run_step lint npx eslint . ;;
    unit) npm_tests unit src ;;
    functional) npm_tests functional test/functional ;;
    integration)
      if has_tests test/integration; then
        run_step postgres bash scripts/ensure-postgres.sh
        pg_url="$(tail -n 1 "$LOG_DIR/postgres.log")"
        case "$pg_url" in postgresql://*) export TESSERA_TEST_PG_URL="${TESSERA_TEST_PG_URL:-$pg_url}" ;; esac
      fi
      npm_tests integration test/integration
      ;;
    clients)
      if has_tests test/clients; then run_step openstack-client bash scripts/ensure-openstack-client.sh; fi
      npm_tests clients test/clients
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
