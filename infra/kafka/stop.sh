#!/usr/bin/env bash
# Stop the local broker started by start.sh: SIGTERM (controlled shutdown),
# then SIGKILL after KAFKA_STOP_TIMEOUT seconds (default 30). Idempotent.
# Data in .work/data is kept; see README.md to wipe it.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${KAFKA_STATE_DIR:-$SCRIPT_DIR/.work}"
PID_FILE="$STATE_DIR/kafka.pid"
TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

log() { echo "[kafka] $*" >&2; }

if [ ! -f "$PID_FILE" ]; then
  log "not running (no $PID_FILE)"
  exit 0
fi
pid="$(tr -d '[:space:]' <"$PID_FILE" || true)"

is_our_broker() {
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'
}

if ! is_our_broker; then
  log "not running (stale pid file, pid ${pid:-?})"
  rm -f "$PID_FILE"
  exit 0
fi

log "stopping broker pid $pid ..."
kill -TERM "$pid" 2>/dev/null || true
deadline=$((SECONDS + TIMEOUT))
while is_our_broker; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "still alive after ${TIMEOUT}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
    break
  fi
  sleep 0.2
done
rm -f "$PID_FILE"
log "stopped"
