#!/usr/bin/env bash
# make windows: the Windows build, cross-compiled on Linux with mingw-w64:
# mi_psrp.dll, its import library libmi_psrp.dll.a, the static library
# libmi_psrp.a and mi-psrp.exe, in target/windows/x86_64-pc-windows-gnu/release/
# (see docs/windows.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/windows/setup.sh
. scripts/windows/env.sh
win_cargo build --release --lib --bin mi-psrp
out="$WIN_TARGET_DIR/$WIN_TARGET/release"
for f in mi_psrp.dll libmi_psrp.dll.a libmi_psrp.a mi-psrp.exe; do
  [ -f "$out/$f" ] || { echo "windows: $out/$f was not built" >&2; exit 1; }
done
echo "windows: $out/{mi_psrp.dll,libmi_psrp.dll.a,libmi_psrp.a,mi-psrp.exe}"
