#!/usr/bin/env bash
# make windows-test: the Windows build tested under Wine (after make windows).
#
#  1. The C programs of tests/c (harness, streams for both character types,
#     host connection, the Microsoft-layout provider and host, stress) and
#     c_examples' sample host, compiled with mingw-w64 against mi_psrp.dll and
#     run under Wine, with the checks tests/c_harness.rs and
#     tests/host_connection.rs make on Linux.
#  2. The xyz test module built by mingw as a DLL for both character types,
#     loaded by mi-psrp.exe under Wine; and Linux's decoder on the stress
#     stream: both through ignored tests of the Linux test suite
#     (tests/cli_modules.rs, tests/stress.rs) that compare with Linux.
#  3. The crate's unit tests and its pure-Rust integration tests built for
#     Windows, with Wine as cargo's runner.
# What is not run, and why: docs/windows.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/windows/setup.sh --wine
. scripts/windows/env.sh

rel="$WIN_TARGET_DIR/$WIN_TARGET/release"
out="$WIN_TARGET_DIR/test"
for f in mi_psrp.dll libmi_psrp.dll.a mi-psrp.exe; do
  [ -f "$rel/$f" ] || { echo "windows-test: no $rel/$f: run make windows first" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out"
out_abs="$(cd "$out" && pwd)"

# Wine: a prefix of its own under target/windows (made on first use), quiet,
# without the Mono/Gecko installers. Wine 8.0 lacks bcryptprimitives.dll,
# which Rust's std imports (ProcessPrng): a stand-in beside the programs,
# and on WINEPATH for cargo's test executables. Never shipped.
export WINEPREFIX="${WINEPREFIX:-$PWD/$WIN_TARGET_DIR/wine}"
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export WINEPATH="Z:${out_abs//\//\\}"
# One wineserver for the whole run (each wine otherwise starts its own),
# stopped at the end; it serves only this prefix.
WINESERVER="${WINESERVER:-wineserver}"
[ -f "$WINEPREFIX/system.reg" ] || "$WINE" wineboot --init >/dev/null 2>&1
"$WINESERVER" -k >/dev/null 2>&1 || true  # wineboot's, or one left by an earlier run
"$WINESERVER" -p
trap '"$WINESERVER" -k >/dev/null 2>&1 || true' EXIT
"$WIN_CC" -shared -O2 -o "$out/bcryptprimitives.dll" scripts/windows/bcryptprimitives.c -ladvapi32
cp "$rel/mi_psrp.dll" "$rel/mi-psrp.exe" "$out/"

fail() { echo "windows-test: $*" >&2; exit 1; }

# win_cc NAME SOURCES... [-- FLAGS...]: an executable linked against the DLL.
win_cc() {
  local name="$1"; shift
  local srcs=() flags=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do srcs+=("$1"); shift; done
  [ $# -gt 0 ] && shift && flags=("$@")
  "$WIN_CC" -std=c11 -Wall -Wextra -Wpedantic -Werror -g -Iinclude "${flags[@]}" "${srcs[@]}" \
    -o "$out/$name.exe" -L"$rel" -lmi_psrp -static-libgcc -Wl,-Bstatic -lpthread -Wl,-Bdynamic
}

# win_run NAME ARGS...: runs it under Wine; its stdout (CRLF made LF) in $out/NAME.out.
win_run() {
  local name="$1"; shift
  if ! (cd "$out" && "$WINE" "$name.exe" "$@") >"$out/$name.raw" 2>"$out/$name.err"; then
    cat "$out/$name.raw" "$out/$name.err" >&2
    fail "$name.exe failed"
  fi
  tr -d '\r' <"$out/$name.raw" >"$out/$name.out"
}

# passed NAME MIN [PREFIX]: the last line is "[PREFIX]N passed, 0 failed", N >= MIN.
passed() {
  local last n
  last="$(tail -n 1 "$out/$1.out")"
  case "$last" in "${3:-}"*" passed, 0 failed") ;; *) cat "$out/$1.out" >&2; fail "$1: $last" ;; esac
  n="${last#"${3:-}"}"; n="${n%% *}"
  [ "$n" -ge "$2" ] || fail "$1 ran only $n checks"
  echo "  $1: $last"
}

echo "== C programs under Wine"
win_cc harness tests/c/harness.c
win_run harness
passed harness 100

for ct in 1 2; do
  win_cc "streams_$ct" tests/c/streams.c -- "-DMI_CHAR_TYPE=$ct"
  win_run "streams_$ct"
  passed "streams_$ct" 50 "MI_CHAR_TYPE $ct: "
done

win_cc host_connection tests/c/host_connection.c
win_run host_connection
passed host_connection 70
[ "$(head -n 1 "$out/host_connection.out")" = "mipsrp_fragment_info 64 0 8 16 20 21 22" ] ||
  fail "host_connection: mipsrp_fragment_info layout: $(head -n 1 "$out/host_connection.out")"

win_cc ms_layout tests/c/ms_provider.c tests/c/ms_host.c -- -Itests/c
win_run ms_layout
expected='record working | Processing
record working | Processing
record cancelled, cleaning up | Processing
record cancelled, cleaning up | Completed'
[ "$(grep '^record ' "$out/ms_layout.out")" = "$expected" ] && grep -q 'provider failures 0x0' "$out/ms_layout.out" ||
  { cat "$out/ms_layout.out" >&2; fail "ms_layout: not the records Linux sends"; }
echo "  ms_layout: the Microsoft-layout provider's 4 records"

win_cc sample_host c_examples/sample_host.c c_examples/sample_provider.c -- -Ic_examples
win_run sample_host 3 -o sample_host.stream
grep -q 'PercentComplete=66' "$out/sample_host.out" || { cat "$out/sample_host.out" >&2; fail "sample_host"; }
echo "  sample_host: $(grep -c '^ *record' "$out/sample_host.out") records"

win_cc stress tests/c/stress.c
win_run stress stress.stream 20000
grep -q 'overlaps 0 failures 0' "$out/stress.out" || { cat "$out/stress.out" >&2; fail "stress"; }
echo "  stress: $(cat "$out/stress.out")"

echo "== provider module DLLs (xyz, both character types)"
for ct in 1 2; do
  "$WIN_CC" -std=c11 -Wall -Wextra -Wpedantic -Werror -g -shared "-DMI_CHAR_TYPE=$ct" \
    -Iinclude -Itests/c/modules/xyz tests/c/modules/xyz/*.c -o "$out/xyz-$ct.dll" \
    -Wl,--no-undefined -L"$rel" -lmi_psrp -static-libgcc -Wl,-Bstatic -lpthread -Wl,-Bdynamic
done

echo "== checked on Linux: the stress stream by Linux's decoder, mi-psrp.exe's output against Linux's"
# The Linux test suite's own cargo (not Debian's), as make test runs it.
MIPSRP_STRESS_STREAM="$out_abs/stress.stream" MIPSRP_WINDOWS_BIN="$out_abs" WINE="$WINE" \
  "${CARGO:-cargo}" test --all-features --locked --test stress --test cli_modules -- \
  --ignored --exact stream_written_on_windows windows_build_prints_what_linux_prints

echo "== unit and pure-Rust integration tests, built for Windows, run under Wine"
# The test binaries that need nothing Linux-only (cc, Python, sshd, .so
# modules, sanitizers, valgrind): the list and the reasons in docs/windows.md.
tests=(alloc alloc_failure cim_error completion context_behaviour decode headers host_connection
       limits limits_every_message object_ids panic_safety roundtrip stream_records streams
       transport_gone utf8_text vectors watch_threads)
args=(--lib)
for t in "${tests[@]}"; do args+=(--test "$t"); done
# Built at opt-level 1 without debug information (the test profile says 2
# with it): a fifth less compiling, and the tests still run in seconds.
CARGO_PROFILE_TEST_DEBUG=0 CARGO_PROFILE_TEST_OPT_LEVEL=1 \
  CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$WINE" win_cargo test --all-features "${args[@]}"
echo "windows-test: all passed"
