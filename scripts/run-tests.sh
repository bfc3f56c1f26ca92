#!/usr/bin/env bash
# Runs one suite with Node's test runner. Node 20's runner does not expand globs itself, so the
# files are listed here. Usage: run-tests.sh unit|functional|integration|clients
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${1:?usage: run-tests.sh unit|functional|integration|clients}"
case "$suite" in
  unit) mapfile -t files < <(find src -name '*.test.ts' -not -name '*-harness.test.ts' | sort); concurrency=2 ;;
  functional) mapfile -t files < <(find test/functional -name '*.test.ts' | sort); concurrency=1 ;;
  integration) mapfile -t files < <(find test/integration -name '*.test.ts' | sort); concurrency=1 ;;
  clients) mapfile -t files < <(find test/clients -name '*.test.ts' | sort); concurrency=1 ;;
  *) echo "unknown suite: $suite" >&2; exit 2 ;;
esac
if [ "${#files[@]}" -eq 0 ]; then
  echo "no $suite tests"
  exit 0
fi
exec node --import tsx --test --test-concurrency="$concurrency" "${files[@]}"
