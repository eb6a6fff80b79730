#!/usr/bin/env bash
# Every test of the project, stage by stage; stops at the first broken stage.
# Each stage prints its duration; the last line is `N passed, N failed`, where N counts
# individual tests (jest and Playwright cases, smoke checks) as reported by each stage.
#
# Usage: ./portal test [--only stage[,stage...]]
set -uo pipefail
REPO="${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export REPO
cd "$REPO"
source "$REPO/.ci/env.sh"
source "$REPO/.ci/lib/processes.sh"
source "$REPO/.ci/lib/debian.sh"
source "$REPO/.ci/lib/backend.sh"
source "$REPO/.ci/lib/postgres.sh"

STAGES="install typecheck lint postgres unit bench_smoke build_app smoke_sqlite e2e smoke_postgres"
ONLY=""
usage_error() {
  # Still the last line the runner promises: a typo in --only must not read as a green run.
  echo "$1" >&2
  echo "usage: ./portal test [--only stage[,stage...]] (stages: ${STAGES// /, })" >&2
  echo
  echo "0 passed, 1 failed"
  exit 2
}
if [ "$#" -gt 0 ]; then
  if [ "$1" != "--only" ] || [ "$#" -ne 2 ] || [ -z "$2" ]; then
    usage_error "unexpected arguments: $*"
  fi
  ONLY=",$2,"
  IFS=',' read -ra wanted <<<"$2"
  for name in "${wanted[@]}"; do
    [[ " $STAGES " == *" $name "* ]] || usage_error "unknown stage \"$name\""
  done
fi

# Each run keeps its logs and process ids in its own folder, so two runs on one checkout
# never delete each other's pid files (and so never orphan each other's servers).
OUT="$REPO/.ci/out/run-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$OUT" && ln -sfn "$OUT" "$REPO/.ci/out/latest"
export PID_DIR="$OUT/pids"
export CI=true
PASSED=0
FAILED=0
SKIPPED=0
TOTAL_START=$(date +%s)

finish() {
  local code=$1
  stop_all_started
  echo
  # not in the last line, whose form is fixed; said so that a skip is never silent
  [ "$SKIPPED" -gt 0 ] && echo "$SKIPPED skipped (jest and Playwright skips, not counted above)"
  echo "total $(($(date +%s) - TOTAL_START)) s"
  echo "$PASSED passed, $FAILED failed"
  exit "$code"
}
trap 'finish 130' INT TERM

# Adds the counts a stage wrote to $OUT/<stage>.counts ("passed failed [skipped]"); a stage that
# fails without writing counts, or with counts that are not two numbers (an empty file when a
# report was never written), still counts as one failure.
record() {
  local stage=$1 status=$2 p=0 f=0 s=0
  if [ -f "$OUT/$stage.counts" ]; then read -r p f s <"$OUT/$stage.counts" || true; fi
  if ! [[ "$p" =~ ^[0-9]+$ && "$f" =~ ^[0-9]+$ ]]; then p=0 f=0; fi
  [[ "$s" =~ ^[0-9]+$ ]] || s=0
  SKIPPED=$((SKIPPED + s))
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$status" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then p=1; fi
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
}

stage() {
  local name=$1
  shift
  if [ -n "$ONLY" ] && [[ "$ONLY" != *",$name,"* ]]; then return 0; fi
  echo
  echo "=== stage: $name"
  local start status
  start=$(date +%s)
  "$@"
  status=$?
  echo "=== stage: $name $([ $status -eq 0 ] && echo passed || echo FAILED) in $(($(date +%s) - start)) s"
  record "$name" "$status"
  if [ "$status" -ne 0 ]; then finish 1; fi
}

stage_install() { "$REPO/portal" install; }
# The benchmarks are type-checked too (bench/tsconfig.json): the transform that runs them does not.
stage_typecheck() { yarn tsc && yarn tsc -p bench/tsconfig.json; }
# The configs against every plugin's config.d.ts, strictly: a value of the wrong type or shape
# (an incident-tool link template without {id}) names its key instead of being ignored at run time.
stage_lint() {
  yarn backstage-cli repo lint && yarn prettier --check . >/dev/null &&
    yarn backstage-cli config:check --strict --config app-config.yaml --config app-config.production.yaml
}

# One throwaway PostgreSQL serves the whole run: the backend plugins' database tests reach it
# through Backstage's TestDatabases (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) and
# the production smoke test runs the backend against it.
stage_postgres() {
  start_postgres "$OUT/postgres" || return 1
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://$POSTGRES_USER:$POSTGRES_PASSWORD@$POSTGRES_HOST:$POSTGRES_PORT"
}

stage_unit() {
  if [ -z "$PG_DIR" ]; then stage_postgres || return 1; fi
  ensure_prometheus || return 1
  local json="$OUT/unit.json"
  yarn backstage-cli repo test --json --outputFile="$json"
  local status=$?
  node -e '
    const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`${r.numPassedTests} ${r.numFailedTests + r.numRuntimeErrorTestSuites} ${skipped}`);
  ' "$json" >"$OUT/unit.counts" 2>/dev/null || true
  return $status
}

# Reduced runs of the benchmarks (evidence.md §9: "a reduced smoke run in CI"): each must run
# to its report; the numbers are not gated here (docs/benchmarks.md has the full runs).
stage_bench_smoke() {
  local p=0 f=0 name
  local -a runs=(
    "evidence-ingest|bench/evidence/ingest.bench.ts --duration 3 --modes set-based --port 55437"
    "evidence-read|bench/evidence/read.bench.ts --entities 500 --reads 50 --bulk-runs 1 --databases pg,sqlite --port 55438"
    "evidence-ledger-view|bench/evidence/ledgerView.bench.ts --quick --databases sqlite"
    "cost-calculators|bench/cost-calculators/computeTimes.ts 200"
    "scorecards-intake|bench/scorecards/resultsIntake.bench.ts --quick --databases sqlite"
    "scorecards-rollups-read|bench/scorecards/rollupsRead.bench.ts --quick --databases sqlite"
    "scorecards-wire-form|bench/scorecards/wireForm.bench.ts --quick"
    "scorecards-mirror-memory|bench/scorecards/mirrorMemory.bench.ts --quick"
    "scorecards-mirror-read|bench/scorecards/mirrorRead.bench.ts --quick"
    "scorecards-reuse-path|bench/scorecards/reusePath.bench.ts --quick"
    "scorecards-reuse-over-time|bench/scorecards/reuseOverTime.bench.ts --quick"
    "scorecards-cache-state|bench/scorecards/cacheState.bench.ts --quick"
    "scorecards-ledger-history|bench/scorecards/ledgerHistory.bench.ts --quick"
    "scorecards-mirror-busy-ledgers|bench/scorecards/mirrorBusyLedgers.bench.ts --quick --databases sqlite"
    "incident-brief-owner-read|bench/incident-brief/ownerRead.bench.ts --quick"
  )
  for run in "${runs[@]}"; do
    name=${run%%|*}
    # shellcheck disable=SC2086
    if node --require @backstage/cli/config/nodeTransform.cjs ${run#*|} >"$OUT/bench-$name.out" 2>&1 &&
      grep -q ' | ' "$OUT/bench-$name.out"; then
      echo "ok   bench $name"
      p=$((p + 1))
    else
      echo "FAIL bench $name (see $OUT/bench-$name.out)"
      tail -20 "$OUT/bench-$name.out"
      f=$((f + 1))
    fi
  done
  echo "$p $f" >"$OUT/bench_smoke.counts"
  [ "$f" -eq 0 ]
}

stage_build_app() { yarn workspace app build; }

# Backend on the default config (SQLite), then the Playwright suite against the same process.
stage_smoke_sqlite() {
  # Fresh golden-path repositories: the in-memory ledger starts empty too.
  rm -rf packages/backend/.data/golden-paths
  start_backend sqlite "$OUT/backend-sqlite.log" || return 1
  SMOKE_DEMO=1 node .ci/check-catalog.js "http://localhost:7007" "$(guest_token)" | tee "$OUT/smoke_sqlite.out"
  local status=${PIPESTATUS[0]}
  tail -1 "$OUT/smoke_sqlite.out" | grep -oE '^[0-9]+ [0-9]+$' >"$OUT/smoke_sqlite.counts" || true
  return "$status"
}

stage_e2e() {
  ensure_chromium || return 1
  if ! backend_running sqlite; then start_backend sqlite "$OUT/backend-sqlite.log" || return 1; fi
  PLAYWRIGHT_JSON_OUTPUT_NAME="$OUT/e2e.json" PLAYWRIGHT_URL=http://localhost:7007 \
    yarn playwright test --config playwright.system-chromium.config.ts --retries 0
  local status=$?
  node -e '
    const r = require(process.argv[1]);
    console.log(`${r.stats.expected} ${r.stats.unexpected + r.stats.flaky} ${r.stats.skipped}`);
  ' "$OUT/e2e.json" >"$OUT/e2e.counts" 2>/dev/null || true
  stop_backend sqlite
  return $status
}

# Backend on the production config against a throwaway PostgreSQL.
stage_smoke_postgres() {
  if [ -z "$PG_DIR" ]; then start_postgres "$OUT/postgres" || return 1; fi
  start_backend production "$OUT/backend-production.log" || return 1
  node .ci/check-catalog.js "http://localhost:7007" "$SMOKE_STATIC_TOKEN" | tee "$OUT/smoke_postgres.out"
  local status=${PIPESTATUS[0]} p f
  read -r p f < <(tail -1 "$OUT/smoke_postgres.out" | grep -oE '^[0-9]+ [0-9]+$' || echo "0 1")
  # Production has no guest sign-in: the guest refresh endpoint must not hand out a token.
  # By its HTTP status: a dead backend (no answer at all) must not read as a refusal.
  local guest
  guest=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Requested-With: XMLHttpRequest' \
    http://localhost:7007/api/auth/guest/refresh)
  if [[ "$guest" =~ ^4[0-9][0-9]$ ]]; then
    echo "ok   production config refuses guest sign-in ($guest)"
    p=$((p + 1))
  else
    echo "FAIL production config: guest sign-in answered $guest, expected a 4xx refusal"
    f=$((f + 1)) status=1
  fi
  echo "$p $f" >"$OUT/smoke_postgres.counts"
  stop_backend production
  stop_postgres
  return "$status"
}

stage install stage_install
stage typecheck stage_typecheck
stage lint stage_lint
stage postgres stage_postgres
stage unit stage_unit
stage bench_smoke stage_bench_smoke
stage build_app stage_build_app
stage smoke_sqlite stage_smoke_sqlite
stage e2e stage_e2e
stage smoke_postgres stage_smoke_postgres
finish 0
