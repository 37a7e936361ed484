//! Generates the C headers with cbindgen into OUT_DIR. With
//! `MIPSRP_BLESS_HEADERS=1` it also writes them to `include/`, which is what
//! gets committed; `tests/headers.rs` checks that the two agree.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

const HEADERS: &[(&str, &str, &[&str])] = &[
    (
        "mi.h",
        "cbindgen/mi.toml",
        &[
            "src/mi/types.rs",
            "src/mi/result.rs",
            "src/mi/context.rs",
            "src/ffi/context.rs",
        ],
    ),
    ("mi_psrp.h", "cbindgen/mi_psrp.toml", &["src/ffi/host.rs"]),
];

fn main() {
    set_soname();
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let bless = env::var_os("MIPSRP_BLESS_HEADERS").is_some_and(|v| v == "1");
    println!("cargo:rerun-if-env-changed=MIPSRP_BLESS_HEADERS");
    for (name, config, sources) in HEADERS {
        let text = generate(&root, config, sources);
        fs::write(out.join(name), &text).expect("write header to OUT_DIR");
        if bless {
            let dest = root.join("include").join(name);
            if fs::read_to_string(&dest).ok().as_deref() != Some(text.as_str()) {
                fs::write(&dest, &text).expect("write header to include/");
            }
        }
    }
}

fn generate(root: &Path, config: &str, sources: &[&str]) -> String {
    let config_path = root.join(config);
    println!("cargo:rerun-if-changed={}", config_path.display());
    let config = cbindgen::Config::from_file(&config_path).expect("read cbindgen config");
    let mut builder = cbindgen::Builder::new().with_config(config);
    for src in sources {
        let path = root.join(src);
        println!("cargo:rerun-if-changed={}", path.display());
        builder = builder.with_src(path);
    }
    let bindings = builder.generate().expect("cbindgen failed");
    let mut buf = Vec::new();
    bindings.write(&mut buf);
    add_calling_convention(String::from_utf8(buf).expect("cbindgen wrote UTF-8"))
}

/// cbindgen cannot spell a calling convention, so `MI_CALL` (`__stdcall` on
/// 32-bit Windows, nothing elsewhere) is added here to every function-table
/// slot and to `MI_CancelCallback`, which are `extern "system"` in Rust. (The
/// exported functions are `extern "C"`: cbindgen only reads those.)
fn add_calling_convention(text: String) -> String {
    const EDITS: &[(&str, &str)] = &[
        ("MI_Result (*", "MI_Result (MI_CALL *"),
        (
            "typedef void (*MI_CancelCallback)",
            "typedef void (MI_CALL *MI_CancelCallback)",
        ),
    ];
    EDITS
        .iter()
        .fold(text, |text, (from, to)| text.replace(from, to))
}

/// The shared library's SONAME: `libmi_psrp.so.<major>` from 1.0 on; before
/// that `libmi_psrp.so.0.<minor>`, since a 0.x minor release may break the ABI.
fn set_soname() {
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("version");
    let minor = env::var("CARGO_PKG_VERSION_MINOR").expect("version");
    let version = if major == "0" {
        format!("0.{minor}")
    } else {
        major
    };
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libmi_psrp.so.{version}");
    println!("cargo:rustc-env=MIPSRP_SONAME=libmi_psrp.so.{version}");
}
