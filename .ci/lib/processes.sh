# Servers started by tests run in their own process group (setsid) and are stopped by that
# group's id, also when a test fails or the run is interrupted (see stop_all_started).
PID_DIR="${PID_DIR:-$REPO/.ci/out/pids}"

# start_detached <name> <log> <command...>
start_detached() {
  local name=$1 log=$2
  shift 2
  mkdir -p "$PID_DIR"
  setsid "$@" >"$log" 2>&1 < /dev/null &
  echo $! >"$PID_DIR/$name.pid"
}

is_running() { [ -f "$PID_DIR/$1.pid" ] && kill -0 "$(cat "$PID_DIR/$1.pid")" 2>/dev/null; }

# stop_detached <name>: TERM the whole group, KILL it if it is still there after 10 s.
stop_detached() {
  local name=$1 pid
  [ -f "$PID_DIR/$name.pid" ] || return 0
  pid=$(cat "$PID_DIR/$name.pid")
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$PID_DIR/$name.pid"
}

stop_all_started() {
  local f
  for f in "$PID_DIR"/*.pid; do
    [ -e "$f" ] || continue
    stop_detached "$(basename "$f" .pid)"
  done
  if declare -F stop_postgres >/dev/null; then stop_postgres; fi
}

# wait_for_port <port> <seconds>: true once nothing listens on it any more.
wait_port_free() {
  local port=$1 secs=${2:-20}
  for _ in $(seq 1 $((secs * 2))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  return 1
}
