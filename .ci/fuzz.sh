#!/usr/bin/env bash
# Short fuzz run of every fuzz target in both modules (the product and
# e2e/). Targets are discovered at run time: every `func FuzzXxx(f
# *testing.F)` in a _test.go file, outside testdata/ and hidden or _
# directories. Each runs alone, one package at a time, with
#   go test -run '^$' -fuzz '^FuzzXxx$' -fuzztime N ./pkg
# which first replays the committed seed corpus (testdata/fuzz/FuzzXxx/)
# and then mutates. A crash fails the run; go test saves the input under
# the package's testdata/fuzz/FuzzXxx/ for `go test -run=FuzzXxx/NAME`.
#
# Time: the run aims to end within FUZZ_BUDGET seconds (default 150) of
# wall time, builds included: each target gets an equal share of what is
# left, less the build overhead seen so far, clamped to FUZZ_MIN..FUZZ_MAX
# seconds (default 1..10). Set FUZZTIME (e.g. 30s, or 1000x) to give
# every target a fixed time instead. FUZZ_MATCH (an extended regexp)
# limits the run to matching target names.
#
# Every target has a committed seed corpus: a few meaningful inputs in
# Go's corpus file format ("go test fuzz v1"), one file each, under
# testdata/fuzz/FuzzXxx/ beside it; plain go test replays them too. A
# target without one fails the run (FUZZ_REQUIRE_CORPUS=0 only reports
# it, for a target under construction).
#
# Usage: bash .ci/fuzz.sh          (exit 1 if any target fails)
set -uo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

budget="${FUZZ_BUDGET:-150}"
min_t="${FUZZ_MIN:-1}"
max_t="${FUZZ_MAX:-10}"
match="${FUZZ_MATCH:-.}"

# modules lists the module directories: . and every nested one (e2e/).
modules() {
  find . -name go.mod -not -path '*/testdata/*' -not -path '*/.*/*' -printf '%h\n' | sed 's#^\./##' | sort
}

# discover prints "module-dir package-dir target" lines for the module
# rooted at $1, package dirs relative to it, leaving out packages of
# modules nested in it (given as further arguments).
discover() {
  local mod="$1"
  shift
  (
    cd "$mod" || exit 1
    grep -rE --include='*_test.go' -o '^func Fuzz[A-Za-z0-9_]*\([A-Za-z_][A-Za-z0-9_]* \*testing\.F\)' . |
      sed -E 's#^\./##' |
      grep -vE '(^|/)(testdata|vendor|[._][^/]*)/' |
      sed -E 's#^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#\1 \2#; s#^[^/ ]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#. \1#' |
      sort -u
  ) | while read -r pkg target; do
    for nested in "$@"; do
      [[ "$pkg/" == "$nested/"* ]] && continue 2
    done
    echo "$mod $pkg $target"
  done
}

mods="$(modules)"
targets="$(
  for mod in $mods; do
    nested=()
    for other in $mods; do
      if [[ "$mod" == "." && "$other" != "." ]]; then
        nested+=("$other")
      elif [[ "$mod" != "." && "$other" == "$mod/"* ]]; then
        nested+=("${other#"$mod"/}")
      fi
    done
    discover "$mod" "${nested[@]}"
  done | awk -v m="$match" '$3 ~ m'
)"
count="$(grep -c . <<<"$targets" || true)"
if [[ "$count" -eq 0 ]]; then
  echo "fuzz: no fuzz targets found"
  exit 1
fi
echo "fuzz: $count targets, budget ${budget}s${FUZZTIME:+, $FUZZTIME each}"

# spurious_deadline reports whether the failure logged in $1 is only Go's
# end-of-run race (golang/go#75804, fixed in Go 1.27): with a duration
# -fuzztime the coordinator may report "context deadline exceeded" when
# time is up, with no failing input. A real crash or hang always writes
# its input ("Failing input written to ...").
spurious_deadline() {
  ! grep -q 'Failing input written' "$1" &&
    awk '/^--- FAIL: Fuzz/ {f = 1; next} f && /^FAIL$/ {f = 0} f && !/^[[:space:]]*context deadline exceeded$/ {bad = 1} END {exit bad}' "$1" &&
    grep -q '^[[:space:]]*context deadline exceeded$' "$1"
}

start=$SECONDS
left="$count"
overhead_sum=0
failed=()
missing=()
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
while read -r mod pkg target; do
  if [[ -n "${FUZZTIME:-}" ]]; then
    t="$FUZZTIME"
  else
    # Each target also costs a build and a replay of its corpus: take
    # the average seen so far (3 s before the first) off its share.
    done_n=$((count - left))
    overhead=$(( done_n > 0 ? overhead_sum / done_n : 3 ))
    remaining=$((budget - (SECONDS - start)))
    share=$((remaining / left - overhead))
    ((share > max_t)) && share="$max_t"
    ((share < min_t)) && share="$min_t"
    t="${share}s"
  fi
  t0=$SECONDS
  ok=true
  (cd "$mod" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "$t" "./$pkg") >"$log" 2>&1 || ok=false
  note=""
  if ! $ok && spurious_deadline "$log"; then
    ok=true
    note=" (ignored Go's spurious end-of-run deadline, golang/go#75804)"
  fi
  took=$((SECONDS - t0))
  [[ "$t" == *s ]] && overhead_sum=$((overhead_sum + (took > ${t%s} ? took - ${t%s} : 0)))
  corpus=""
  if ! compgen -G "$mod/$pkg/testdata/fuzz/$target/*" >/dev/null; then
    corpus=" (no committed seed corpus)"
    missing+=("$target ($mod/$pkg)")
  fi
  if $ok; then
    printf 'PASS  %-28s %-40s fuzzed %s, took %ss%s%s\n' "$target" "$mod/$pkg" "$t" "$took" "$corpus" "$note"
  else
    printf 'FAIL  %-28s %-40s fuzzed %s, took %ss\n' "$target" "$mod/$pkg" "$t" "$took"
    grep -vE '^fuzz: elapsed' "$log" | tail -40 | sed 's/^/      /'
    failed+=("$target ($mod/$pkg)")
  fi
  left=$((left - 1))
done <<<"$targets"

echo "fuzz: $((count - ${#failed[@]})) passed, ${#failed[@]} failed in $((SECONDS - start))s"
if ((${#missing[@]} > 0)); then
  echo "fuzz: ${#missing[@]} targets have no committed seed corpus under testdata/fuzz/"
  if [[ "${FUZZ_REQUIRE_CORPUS:-1}" == 1 ]]; then
    printf 'fuzz: FAIL no corpus: %s\n' "${missing[@]}"
    exit 1
  fi
fi
if ((${#failed[@]} > 0)); then
  printf 'fuzz: FAIL %s\n' "${failed[@]}"
  exit 1
fi
