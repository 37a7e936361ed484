#!/usr/bin/env bash
# Set-up for `make test` (and CI, which runs `make test`): the system tools the
# tests use, then the Python venv (.venv) with the pinned packages of
# tests/interop/requirements.txt. Prints the venv's Python on its last line.
#
# System packages are installed with apt-get when they are missing and this
# runs as root on a machine with apt-get; otherwise it says what to install
# and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

# tool -> Debian package; the list .ci/run installed before `make test` did.
tools="valgrind:valgrind cmake:cmake pkg-config:pkg-config nm:binutils objdump:binutils g++:g++ script:bsdutils"
missing_pkgs=""
missing_tools=""
for entry in $tools; do
  tool="${entry%%:*}" pkg="${entry#*:}"
  if ! command -v "$tool" >/dev/null 2>&1; then
    missing_tools="$missing_tools $tool"
    case " $missing_pkgs " in *" $pkg "*) ;; *) missing_pkgs="$missing_pkgs $pkg" ;; esac
  fi
done
# tests/serve_ssh.rs runs a throwaway sshd (/usr/sbin/sshd: often not on a
# user's PATH, so checked by path) and makes its keys with ssh-keygen.
if [ ! -x /usr/sbin/sshd ]; then
  missing_tools="$missing_tools sshd"
  missing_pkgs="$missing_pkgs openssh-server"
fi
if ! command -v ssh-keygen >/dev/null 2>&1; then
  missing_tools="$missing_tools ssh-keygen"
  missing_pkgs="$missing_pkgs openssh-client"
fi
# python3 -m venv needs ensurepip (Debian's python3-venv).
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing_tools="$missing_tools python3-venv"
  missing_pkgs="$missing_pkgs python3-venv"
fi

if [ -n "$missing_pkgs" ]; then
  echo "test-setup: missing:$missing_tools (Debian packages:$missing_pkgs)" >&2
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test-setup: no apt-get here: install the packages providing$missing_tools, then run make test again" >&2
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "test-setup: not root: run  sudo apt-get install -y$missing_pkgs  then make test again" >&2
    exit 1
  fi
  echo "test-setup: apt-get install$missing_pkgs" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing_pkgs >/dev/null
fi

# The venv: made when missing, brought up to the pinned requirements always
# (pip does nothing when they are met).
if [ ! -x .venv/bin/python ]; then
  echo "test-setup: python3 -m venv .venv" >&2
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r tests/interop/requirements.txt >&2
echo "$PWD/.venv/bin/python"
