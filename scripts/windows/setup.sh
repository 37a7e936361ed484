#!/usr/bin/env bash
# Set-up for `make windows` / `make windows-test`: the Debian packages of the
# cross build (Debian's Rust with the standard library's sources, mingw-w64)
# and Wine to run what it builds. Installed with apt-get when missing and this
# runs as root on a machine with apt-get (as scripts/test-setup.sh does for
# `make test`); otherwise it says what to install and stops.
set -euo pipefail

# file or tool -> Debian package
checks="/usr/bin/cargo:cargo-web /usr/bin/rustc:rustc-web /usr/lib/rustlib/src/rust/library/std/Cargo.toml:rust-web-src"
checks="$checks /usr/lib/rustlib/x86_64-unknown-linux-gnu/lib:libstd-rust-web-dev"
checks="$checks x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64"
[ "${1:-}" = "--wine" ] && checks="$checks wine:wine64 /usr/lib/wine/wine64:wine64"
missing=""
for entry in $checks; do
  what="${entry%%:*}" pkg="${entry#*:}"
  case "$what" in
    /*) [ -e "$what" ] && continue ;;
    *) command -v "$what" >/dev/null 2>&1 && continue ;;
  esac
  case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
done
# Debian's cargo must be 1.96 or so (the -web packages): an older /usr/bin/cargo
# from the plain `cargo` package cannot build this crate.
if [ -x /usr/bin/cargo ] && ! dpkg -s cargo-web >/dev/null 2>&1; then
  missing="$missing cargo-web rustc-web rust-web-src libstd-rust-web-dev"
fi
[ -z "$missing" ] && exit 0

echo "windows-setup: missing Debian packages:$missing" >&2
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
  echo "windows-setup: run  sudo apt-get install -y$missing  then make again" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
