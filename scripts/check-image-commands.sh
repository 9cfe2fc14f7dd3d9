#!/usr/bin/env bash
# Runs the Docker image's build and start commands (read from the Dockerfile) on a root-owned copy of the committed
# tree, starting the server as an unprivileged user as the image does, and checks that it answers on its port and on
# its health port. No container runtime can pull images on CI machines; this proves the image's steps instead.
set -euo pipefail
cd "$(dirname "$0")/.."

build_command=$(sed -n 's/^RUN \(pnpm install .*\)$/\1/p' Dockerfile)
start_command=$(sed -n 's/^CMD \[\(.*\)\]$/\1/p' Dockerfile | tr -d '",')
[ -n "$build_command" ] && [ -n "$start_command" ] || { echo "could not read RUN pnpm install … / CMD from the Dockerfile"; exit 1; }

tree=$(mktemp -d /tmp/promptlog-image-XXXXXX)
data=$(mktemp -d /tmp/promptlog-image-data-XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tree" "$data"
}
trap cleanup EXIT

chmod 755 "$tree"
git archive HEAD | tar -x -C "$tree"
echo "build, as root in the image: $build_command"
(cd "$tree" && bash -c "$build_command")

port=$((20000 + RANDOM % 20000))
health_port=$((port + 1))
env_of_image=(NODE_ENV=production HOST=127.0.0.1 "PORT=$port" "PROMPTLOG_HEALTH_PORT=$health_port" "PROMPTLOG_DATA_DIR=$data"
  PROMPTLOG_LOG_LEVEL=warn)
if [ "$(id -u)" = 0 ]; then
  # The image's USER node: anyone but root, owning only the data directory.
  chown nobody "$data"
  run=(setpriv --reuid=nobody --regid=nogroup --clear-groups env "${env_of_image[@]}" $start_command)
  echo "start, as nobody on a tree owned by root: $start_command"
else
  chmod -R a-w "$tree"
  run=(env "${env_of_image[@]}" $start_command)
  echo "start, on a read-only tree: $start_command"
fi
(cd "$tree" && exec "${run[@]}") &
server_pid=$!

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$health_port/api/health" >/dev/null 2>&1 \
    && curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then
    echo "the image's start command serves: $(curl -fsS "http://127.0.0.1:$port/api/health")"
    curl -fsS "http://127.0.0.1:$port/" | grep -q '<div id="root">' || { echo "the web app is not served"; exit 1; }
    exit 0
  fi
  kill -0 "$server_pid" 2>/dev/null || { echo "the server exited"; exit 1; }
  sleep 1
done
echo "the server did not answer its health checks within 120 s"
exit 1
