# Sourced by scripts/windows/*.sh: the cross toolchain for x86_64-pc-windows-gnu.
#
# Debian 12's Rust (rustc-web, cargo-web, rust-web-src, 1.96) builds the
# standard library for the target from its sources (-Zbuild-std, allowed on
# a stable compiler by RUSTC_BOOTSTRAP=1), and mingw-w64 links. rustup's
# proxies often come first on PATH: Debian's cargo and rustc are named by
# their full path. All of it is set for win_cargo only, so that a Linux
# cargo run by the same script is untouched.
WIN_CARGO="${WIN_CARGO:-/usr/bin/cargo}"
WIN_RUSTC="${WIN_RUSTC:-/usr/bin/rustc}"
WIN_TARGET=x86_64-pc-windows-gnu
WIN_TARGET_DIR="${WIN_TARGET_DIR:-target/windows}"
WIN_CC="${WIN_CC:-x86_64-w64-mingw32-gcc}"
WINE="${WINE:-wine}"

win_cargo() {
  env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u CARGO_BUILD_TARGET -u CARGO \
    RUSTC="$WIN_RUSTC" RUSTDOC="${WIN_RUSTC%rustc}rustdoc" RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER="$WIN_CC" \
    "$WIN_CARGO" "$@" -Zbuild-std=std,panic_unwind --target "$WIN_TARGET" \
    --target-dir "$WIN_TARGET_DIR" --locked
}
