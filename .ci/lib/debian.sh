# Real components the tests need, from Debian's packages, installed only when missing.

apt_install() {
  echo "installing from Debian packages: $*"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export CHROMIUM_PATH

ensure_chromium() {
  [ -x "$CHROMIUM_PATH" ] || apt_install chromium
  [ -x "$CHROMIUM_PATH" ]
}

# Prometheus for the evidence collectors' integration tests. The tests start their own
# server on 127.0.0.1 with a throwaway config; the Debian service itself is not used.
PROMETHEUS_BIN="${PROMETHEUS_BIN:-/usr/bin/prometheus}"
export PROMETHEUS_BIN

ensure_prometheus() {
  [ -x "$PROMETHEUS_BIN" ] || apt_install prometheus
  [ -x "$PROMETHEUS_BIN" ]
}
