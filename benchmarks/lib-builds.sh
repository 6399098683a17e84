# Sourced by the benchmark scripts; each caller sets $root (the repository) first.
# Two builds of the CLI, the base ref's and the current tree's (compare-outputs.sh, side-by-side.sh). Only the CLI is
# used, so the current tree may add projects or move files; the base ref is built in a temporary git worktree outside
# the repository (removed by the caller's trap through remove_base_tree).
#   base_tree REF DIR   -> checks REF out (detached) in DIR
#   build_base DIR LOG  -> builds it (Release) and sets BASE_EXE
#   build_current LOG   -> builds the current tree through ./imaging-value and sets NEW_EXE
#   remove_base_tree DIR
# A served workspace signed in with curl (review-1m.sh, dashboard-100k.sh, soak.sh):
#   free_port                       -> prints a free loopback port (the OS picks it)
#   start_serve CLI WS LOG [ARG...] -> `serve --workspace WS --dev` on a free loopback port, output to LOG; waits until
#                                      /signin answers; sets SERVE_PID and SERVE_BASE (the caller's trap stops SERVE_PID)
#   sign_in BASE JAR NAME PASSWORD  -> signs in as a browser does (antiforgery token, then the form); cookies in JAR
# A throwaway PostgreSQL cluster (scale-10m.sh, review-1m.sh with ENGINE=postgres, soak.sh):
#   start_postgres DB...  -> scripts/test-postgres.sh start, then CREATE DATABASE each DB; sets PG_DIR, PG_PORT, PG_CONN
#                            (Npgsql, without a database) and PSQL (an array: psql on that cluster, errors stop it)
#   stop_postgres         -> stops and removes the cluster of PG_DIR (when there is one); safe to call twice
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Seconds since $1 (a `date +%s.%N`), one decimal.
elapsed_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

base_tree() {
  git -C "$root" worktree add --detach -q "$2" "$1"
  echo "base: $1 = $(git -C "$2" rev-parse --short HEAD) in $2"
}

remove_base_tree() {
  [ -d "$1" ] || return 0
  git -C "$root" worktree remove --force "$1" >/dev/null 2>&1 || rm -rf "$1"
}

# The binary a tree's ./imaging-value script runs (its exe="$root/..." line), or the script itself when that line
# is not there (the script then checks for changes on every call, ~0.1 s).
resolve_exe() {
  local tree="$1" rel
  rel="$(sed -n 's/^exe="\$root\/\([^"]*\)"$/\1/p' "$tree/imaging-value" | head -n 1)"
  if [ -n "$rel" ] && [ -x "$tree/$rel" ]; then echo "$tree/$rel"; else echo "$tree/imaging-value"; fi
}

build_base() {
  local dir="$1" log="$2" t0
  t0=$(date +%s.%N)
  if [ -f "$dir/src/ImagingValue.Cli/ImagingValue.Cli.csproj" ]; then
    (cd "$dir" && dotnet build src/ImagingValue.Cli/ImagingValue.Cli.csproj -c Release -nologo -v quiet -clp:ErrorsOnly) > "$log" 2>&1 \
      || { cat "$log" >&2; echo "base build failed" >&2; return 2; }
    BASE_EXE="$dir/artifacts/bin/ImagingValue.Cli/release_linux-x64/imaging-value"
    [ -x "$BASE_EXE" ] || BASE_EXE="$(resolve_exe "$dir")"
  else
    "$dir/imaging-value" --help > "$log" 2>&1 || { cat "$log" >&2; echo "base build failed" >&2; return 2; }
    BASE_EXE="$(resolve_exe "$dir")"
  fi
  echo "base build: $(elapsed_since "$t0") s -> $BASE_EXE ($("$BASE_EXE" --version))"
}

build_current() {
  local log="$1" t0
  t0=$(date +%s.%N)
  "$root/imaging-value" --help > "$log" 2>&1 || { cat "$log" >&2; echo "current build failed" >&2; return 2; }
  NEW_EXE="$(resolve_exe "$root")"
  echo "new build:  $(elapsed_since "$t0") s -> $NEW_EXE ($("$NEW_EXE" --version); tree $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src 2>/dev/null || echo ' + uncommitted changes in src/'))"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_serve() {
  local cli="$1" ws="$2" log="$3"; shift 3
  SERVE_BASE="http://127.0.0.1:$(free_port)"
  "$cli" serve --workspace "$ws" --urls "$SERVE_BASE" --dev "$@" > "$log" 2>&1 &
  SERVE_PID=$!   # imaging-value execs the CLI, so this is the server itself
  for _ in $(seq 1 240); do
    curl -s -o /dev/null "$SERVE_BASE/signin" && return 0
    kill -0 "$SERVE_PID" 2>/dev/null || { tail -n 30 "$log"; echo "server did not start (log: $log)"; return 1; }
    sleep 0.5
  done
  kill "$SERVE_PID" 2>/dev/null || true
  echo "server did not answer /signin within 2 minutes (log: $log)"; return 1
}

sign_in() {
  local base="$1" jar="$2" name="$3" password="$4" token status
  rm -f "$jar"
  token=$(curl -s -c "$jar" -b "$jar" "$base/signin" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -n 1)
  status=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "Name=$name" --data-urlencode "Password=$password" \
    --data-urlencode "__RequestVerificationToken=$token" "$base/signin")
  [ "$status" = 302 ] || { echo "sign-in as $name on $base failed ($status)"; return 1; }
}

start_postgres() {
  local exports
  exports="$("$root/scripts/test-postgres.sh" start)" || return 1
  eval "$exports"
  PG_DIR="$IV_TEST_POSTGRES_DIR"
  PG_PORT="$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$IV_TEST_POSTGRES")"
  PG_CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
  PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres)
  local db
  for db in "$@"; do "${PSQL[@]}" -d postgres -c "CREATE DATABASE $db"; done
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  "$root/scripts/test-postgres.sh" stop "$PG_DIR" || true
  PG_DIR=""
}
