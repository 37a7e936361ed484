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
            "src/mi/value.rs",
            "src/mi/field.rs",
            "src/mi/const_field.rs",
            "src/mi/instance.rs",
            "src/mi/schema.rs",
            "src/mi/module.rs",
            "src/mi/context.rs",
            "src/ffi/context.rs",
        ],
    ),
    (
        "mi_psrp.h",
        "cbindgen/mi_psrp.toml",
        &[
            "src/ffi/host.rs",
            "src/ffi/connection.rs",
            "src/ffi/module.rs",
        ],
    ),
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
            // `MI.h` is what OMI's and Microsoft's generated providers include
            // (`#include <MI.h>`): the same text as `mi.h`, so that a
            // case-insensitive file system, where the two are one file, is fine.
            let names: &[&str] = if *name == "mi.h" {
                &["mi.h", "MI.h"]
            } else {
                &[name]
            };
            for name in names {
                let dest = root.join("include").join(name);
                if fs::read_to_string(&dest).ok().as_deref() != Some(text.as_str()) {
                    fs::write(&dest, &text).expect("write header to include/");
                }
            }
        }
    }
}

fn generate(root: &Path, config: &str, sources: &[&str]) -> String {
    let config_path = root.join(config);
    println!("cargo:rerun-if-changed={}", config_path.display());
    let mut config = cbindgen::Config::from_file(&config_path).expect("read cbindgen config");
    let mi_sources: Vec<String> = sources
        .iter()
        .filter(|s| s.starts_with("src/mi/"))
        .map(|s| fs::read_to_string(root.join(s)).expect("read src/mi"))
        .collect();
    let trailer = if mi_sources.is_empty() {
        None
    } else {
        microsoft_tags(&mut config, &mi_sources);
        config.trailer.take()
    };
    let guard = config.include_guard.clone();
    let mut builder = cbindgen::Builder::new().with_config(config);
    for src in sources {
        let path = root.join(src);
        println!("cargo:rerun-if-changed={}", path.display());
        builder = builder.with_src(path);
    }
    let bindings = builder.generate().expect("cbindgen failed");
    let mut buf = Vec::new();
    bindings.write(&mut buf);
    let text = String::from_utf8(buf).expect("cbindgen wrote UTF-8");
    match trailer {
        Some(trailer) => {
            add_inline_helpers(add_calling_convention(text), &trailer, guard.as_deref())
        }
        None => text,
    }
}

/// Microsoft's spelling for every struct and union of `src/mi/`: the Rust type
/// `MI_X` is written `struct _MI_X` (cbindgen's `tag` style plus a rename),
/// and `typedef struct _MI_X MI_X;` goes where the preamble says `@TYPEDEFS@`,
/// before any use. Every type of `src/mi/` is exported, used by a function or
/// not. (`MI_Char` is the preamble's, per `MI_CHAR_TYPE`.)
fn microsoft_tags(config: &mut cbindgen::Config, sources: &[String]) {
    let mut typedefs = String::new();
    for src in sources {
        for line in src.lines() {
            let Some((kind, rest)) = ["struct", "union", "type"]
                .iter()
                .find_map(|k| Some((*k, line.strip_prefix(&format!("pub {k} "))?)))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name == "MI_Char" {
                continue;
            }
            config.export.include.push(name.clone());
            if kind != "type" {
                config
                    .export
                    .rename
                    .insert(name.clone(), format!("_{name}"));
                typedefs.push_str(&format!("typedef {kind} _{name} {name};\n"));
            }
        }
    }
    let preamble = config.after_includes.as_mut().expect("after_includes");
    assert!(preamble.contains("@TYPEDEFS@"), "mi.toml lacks @TYPEDEFS@");
    *preamble = preamble.replace("@TYPEDEFS@\n", &typedefs);
}

/// Puts the configuration's inline helpers and macros (its `trailer`) inside
/// the include guard, minus the wrappers of the `MI_Context_*` functions the
/// library exports: those stay the extern functions cbindgen declared. So
/// every wrapper of Microsoft's header exists exactly once, inline or exported.
fn add_inline_helpers(text: String, trailer: &str, guard: Option<&str>) -> String {
    let exported: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("MI_Result MI_Context_"))
        .filter_map(|l| l.split_once('(').map(|(name, _)| name))
        .collect();
    let mut helpers = String::new();
    let mut skipping = false;
    for line in trailer.lines() {
        if let Some(rest) = line.strip_prefix("MI_INLINE MI_Result MI_CALL MI_Context_") {
            skipping = rest
                .split_once('(')
                .is_some_and(|(name, _)| exported.contains(&name));
        }
        if !skipping {
            helpers.push_str(line);
            helpers.push('\n');
        }
        if line == "}" {
            skipping = false;
        }
    }
    let guard = format!("#endif  /* {} */", guard.expect("include_guard"));
    let at = text.rfind(&guard).expect("include guard end");
    format!("{}{}\n{}", &text[..at], helpers.trim(), &text[at..])
}

/// cbindgen cannot spell a calling convention, so in `mi.h` `MI_CALL`
/// (`__stdcall` on 32-bit Windows, nothing elsewhere) is added here to every
/// function-table slot and function-pointer type, which are `extern "system"`
/// in Rust (`mi_psrp.h`'s sink is `extern "C"`: it is left alone), and
/// `MI_MAIN_CALL` to `MI_MainFunction`. (The exported functions are
/// `extern "C"`: cbindgen only reads those.) Rust cannot name a parameter
/// `self`; Microsoft's `self` is `self_` there.
fn add_calling_convention(text: String) -> String {
    const EDITS: &[(&str, &str)] = &[
        ("MI_Result (*", "MI_Result (MI_CALL *"),
        ("typedef void (*", "typedef void (MI_CALL *"),
        ("(*MI_MainFunction)", "(MI_MAIN_CALL *MI_MainFunction)"),
        ("self_", "self"),
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
