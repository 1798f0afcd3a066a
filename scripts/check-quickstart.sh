#!/usr/bin/env bash
# Does what a new user does: clone, `npm start`, and expects GET /healthz to answer 200 within 60 s.
# Usage: scripts/check-quickstart.sh [repo path or URL]   (default: this checkout)
# QUICKSTART_DEADLINE_S changes the 60 s limit (the test suite allows more on a loaded machine).
set -euo pipefail

repo=${1:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)}
workdir=$(mktemp -d -t leadscore-quickstart-XXXXXX)
pid=''

# The quickstart binds four ports from its base. They are chosen below the ephemeral range
# (32768 and up on Linux), where an outgoing connection of anything else on the machine can take a
# port between this check and the bind; below it only a listener can, and /dev/tcp sees listeners.
free_port_base() {
  local base offset
  for _ in $(seq 1 200); do
    base=$((15000 + RANDOM % 17000))
    for offset in 0 1 2 3; do
      if (exec 3<>"/dev/tcp/127.0.0.1/$((base + offset))") 2>/dev/null; then continue 2; fi
    done
    echo "$base"
    return 0
  done
  echo "no four free ports in a row between 15000 and 32000" >&2
  return 1
}
port_base=${LEADSCORE_PORT_BASE:-$(free_port_base)}
deadline=${QUICKSTART_DEADLINE_S:-60}
log="$workdir/npm-start.log"

# npm start runs under setsid, so $pid leads a process group holding npm, the bootstrap and the
# quickstart itself: signal the whole group (-$pid), or the quickstart outlives a failed check.
cleanup() {
  if [ -n "$pid" ] && kill -0 -- "-$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

git clone --quiet "$repo" "$workdir/leadscore"
cd "$workdir/leadscore"
start=$(date +%s)
# setsid: npm start and everything it spawns form one process group, stopped together by its pid.
LEADSCORE_PORT_BASE=$port_base setsid npm start >"$log" 2>&1 &
pid=$!

url="http://127.0.0.1:$port_base/healthz"
while true; do
  elapsed=$(( $(date +%s) - start ))
  # Ready for a newcomer = /healthz answers 200 and the banner with the docs URL is printed.
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ] && grep -q '/docs' "$log"; then
    echo "quickstart answered GET /healthz 200 and printed the API docs URL after ${elapsed}s"
    break
  fi
  if [ "$elapsed" -ge "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then
    echo "quickstart did not answer GET $url with 200 within ${deadline} s; its output:"
    tail -40 "$log"
    exit 1
  fi
  sleep 1
done

# A process manager stops `npm start` by its pid alone: the quickstart must go with it.
kill -TERM "$pid"
for _ in $(seq 1 100); do
  if ! curl -s -o /dev/null "$url"; then
    echo "quickstart stopped after npm start alone was sent SIGTERM"
    exit 0
  fi
  sleep 0.2
done
echo "quickstart still answered GET $url 20 s after npm start was sent SIGTERM; its output:"
tail -20 "$log"
exit 1
