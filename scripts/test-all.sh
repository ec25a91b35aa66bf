#!/usr/bin/env bash
# Every test tier, in order, stopping at the first failure: set-up, typecheck, unit, e2e.
set -euo pipefail
cd "$(dirname "$0")/.."

step=""
started=$SECONDS
finish() {
  local rc=$?
  if [ "$rc" -eq 0 ]; then
    printf '\nnumascope: ALL TESTS PASSED (setup, typecheck, unit, e2e) in %ss\n' "$((SECONDS - started))"
  else
    printf '\nnumascope: TESTS FAILED at step "%s" (exit %s)\n' "$step" "$rc" >&2
  fi
}
trap finish EXIT

run() {
  step=$1
  shift
  printf '\n==> %s: %s\n' "$step" "$*"
  "$@"
}

run setup bash scripts/setup.sh
run typecheck npx tsc -p tsconfig.json --noEmit
run unit npx vitest run
run e2e npx playwright test
