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
