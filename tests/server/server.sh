#!/usr/bin/env bash
# Starts and stops the server under test; every test in this directory gets its
# server from here, so the server command is chosen in one place.
#
#   server.sh run [--timeout SECS] -- CMD [ARGS...]
#       start a server, run CMD with the environment below, always stop the
#       server; fails if CMD fails, times out, or the server died or did not
#       exit 0 on SIGTERM.
#   server.sh start WORKDIR      start a server, state in WORKDIR (must be empty)
#   server.sh stop WORKDIR       stop it (SIGTERM, then SIGKILL after 30 s)
#
# The server command is $PGLITE_SERVER_CMD (split on spaces), default
# "$PGLITE_BIN serve". It must follow the `pglite serve` contract: take
# --port 0 --unix DIR, print one line postgresql://USER@HOST:PORT/DB on stdout,
# run until SIGTERM, exit 0. native-pg-serve.sh does that with a native Postgres.
#
# CMD sees PGHOST=127.0.0.1 PGPORT PGUSER PGDATABASE PGCONNECT_TIMEOUT
# PGCLIENTENCODING=UTF8, SERVER_URL, SERVER_SOCKET_DIR (the unix socket's
# directory) and SERVER_SCRATCH (an empty directory for the test's files).
set -euo pipefail

SERVER_MAX_LIFETIME=${SERVER_MAX_LIFETIME:-900}  # a server never outlives this

die() { echo "server.sh: $*" >&2; exit 1; }

server_cmd() {
  if [ -n "${PGLITE_SERVER_CMD:-}" ]; then
    read -ra cmd <<<"$PGLITE_SERVER_CMD"
  else
    [ -n "${PGLITE_BIN:-}" ] || die "set PGLITE_SERVER_CMD or PGLITE_BIN"
    [ -x "$PGLITE_BIN" ] || die "$PGLITE_BIN is not built (cmake --build build --target pglite_cli)"
    cmd=("$PGLITE_BIN" serve)
  fi
}

show_log() { echo "--- server stderr ($1/server.err):" >&2; cat "$1/server.err" >&2 || true; echo "---" >&2; }

start() {
  local work=$1 url="" i
  mkdir -p "$work/sock" "$work/scratch"
  server_cmd
  # `timeout` bounds the server's life even if this script is killed; on
  # SIGTERM it forwards the signal and returns the server's own status,
  # which the subshell records in server.status.
  (
    timeout --kill-after=10 "$SERVER_MAX_LIFETIME" "${cmd[@]}" --port 0 --unix "$work/sock" \
      >"$work/server.out" 2>"$work/server.err" </dev/null &
    echo $! >"$work/server.pid"
    s=0; wait $! || s=$?
    echo "$s" >"$work/server.status"
  ) >/dev/null 2>&1 &
  for ((i = 0; i < 600; i++)); do  # 60 s
    if [ -s "$work/server.out" ] && [ "$(wc -l <"$work/server.out")" -ge 1 ]; then
      url=$(head -n1 "$work/server.out"); break
    fi
    [ ! -e "$work/server.status" ] ||
      { show_log "$work"; die "server exited (status $(cat "$work/server.status")) before printing its URL: ${cmd[*]}"; }
    sleep 0.1
  done
  [[ $url =~ ^postgresql://([^@/]+)@([^:/]+):([0-9]+)/([^/?]+)$ ]] ||
    { show_log "$work"; (stop "$work") || true; die "no URL line from the server within 60 s (got: '$url')"; }
  local port=${BASH_REMATCH[3]}
  [ -S "$work/sock/.s.PGSQL.$port" ] ||
    { show_log "$work"; (stop "$work") || true; die "no unix socket $work/sock/.s.PGSQL.$port"; }
  cat >"$work/env" <<ENV
export SERVER_URL='$url' SERVER_SOCKET_DIR='$work/sock' SERVER_SCRATCH='$work/scratch'
export PGHOST=127.0.0.1 PGPORT=$port PGUSER='${BASH_REMATCH[1]}' PGDATABASE='${BASH_REMATCH[4]}'
export PGCONNECT_TIMEOUT=10 PGCLIENTENCODING=UTF8
unset PGSERVICE PGSERVICEFILE PGSSLMODE PGOPTIONS PGPASSWORD PGHOSTADDR
ENV
}

stop() {
  local work=$1 pid status i
  pid=$(cat "$work/server.pid" 2>/dev/null) || die "no server was started in $work"
  if [ -e "$work/server.status" ]; then
    show_log "$work"; die "the server had exited (status $(cat "$work/server.status")) before it was stopped"
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do [ -e "$work/server.status" ] && break; sleep 0.1; done
  if [ ! -e "$work/server.status" ]; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; show_log "$work"; die "the server did not exit within 30 s of SIGTERM"
  fi
  status=$(cat "$work/server.status")
  [ "$status" = 0 ] || { show_log "$work"; die "the server exited with status $status on SIGTERM (expected 0)"; }
}

run() {
  local limit=120
  if [ "${1:-}" = --timeout ]; then limit=$2; shift 2; fi
  [ "${1:-}" = -- ] && shift
  [ $# -gt 0 ] || die "run: no command"
  local status=0 stop_status=0
  work=$(mktemp -d "${TMPDIR:-/tmp}/pgsrv.XXXXXX")  # short: unix socket paths max 107 bytes
  trap '(stop "$work") >/dev/null 2>&1 || true; rm -rf "$work"' EXIT  # global: traps run after run() returns
  trap 'exit 130' INT
  trap 'exit 143' TERM
  start "$work"
  # shellcheck source=/dev/null
  ( source "$work/env"; exec timeout --kill-after=5 "$limit" "$@" ) || status=$?
  [ "$status" -ne 124 ] || echo "server.sh: '$*' timed out after $limit s" >&2
  ( stop "$work" ) || stop_status=$?
  trap 'rm -rf "$work"' EXIT
  if [ "$status" -ne 0 ]; then echo "server.sh: test failed (status $status): $*" >&2; exit "$status"; fi
  [ "$stop_status" -eq 0 ] || exit 1
}

case "${1:-}" in
  run) shift; run "$@" ;;
  start) [ $# -eq 2 ] || die "usage: server.sh start WORKDIR"; start "$2"; cat "$2/env" ;;
  stop) [ $# -eq 2 ] || die "usage: server.sh stop WORKDIR"; stop "$2" ;;
  *) die "usage: server.sh run [--timeout SECS] -- CMD... | start WORKDIR | stop WORKDIR" ;;
esac
