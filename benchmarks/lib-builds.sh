# Sourced by compare-outputs.sh and side-by-side.sh: two builds of the CLI, the base ref's and the current tree's.
# Only the CLI is used, so the current tree may add projects or move files; the base ref is built in a temporary git
# worktree outside the repository (removed by the caller's trap through remove_base_tree).
#   base_tree REF DIR   -> checks REF out (detached) in DIR
#   build_base DIR LOG  -> builds it (Release) and sets BASE_EXE
#   build_current LOG   -> builds the current tree through ./imaging-value and sets NEW_EXE
#   remove_base_tree DIR
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
