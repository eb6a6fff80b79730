# Starts the backend on one of the project's configurations and waits until it is ready.
# sqlite:     app-config.yaml (embedded SQLite, guest sign-in), what `./portal start` uses
# production: app-config.yaml + app-config.production.yaml (PostgreSQL from POSTGRES_*),
#             plus a static access token for the checks, since production has no guest sign-in

SMOKE_STATIC_TOKEN="${SMOKE_STATIC_TOKEN:-smoke-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export SMOKE_STATIC_TOKEN

backend_running() { is_running "backend-$1"; }

start_backend() {
  local mode=$1 log=$2
  local args=(--config ../../app-config.yaml)
  if [ "$mode" = production ]; then
    args+=(--config ../../app-config.production.yaml --config ../../.ci/app-config.smoke.yaml)
  fi
  wait_port_free 7007 20 || { echo "port 7007 is busy" >&2; return 1; }
  start_detached "backend-$mode" "$log" yarn workspace backend start "${args[@]}"
  local deadline=$(($(date +%s) + 240))
  until curl -sf http://localhost:7007/.backstage/health/v1/readiness >/dev/null; do
    # `backstage-cli package start` outlives a crashed backend child, so also read the log.
    if ! backend_running "$mode" || [ "$(date +%s)" -gt "$deadline" ] ||
      grep -qE 'EADDRINUSE|Backend failed to start|Assertion failed' "$log"; then
      echo "backend ($mode) did not become ready; last lines of $log:" >&2
      tail -40 "$log" >&2
      stop_backend "$mode"
      return 1
    fi
    sleep 1
  done
  echo "backend ($mode) ready"
}

stop_backend() { stop_detached "backend-$1"; }

guest_token() {
  curl -sf -H 'X-Requested-With: XMLHttpRequest' http://localhost:7007/api/auth/guest/refresh |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).backstageIdentity.token))'
}
