//! The C provider modules a module host loads (`tests/c/modules/*/` and the
//! README's sample, `c_examples/module/`) build from the same sources with
//! MI_CHAR_TYPE 1 and 2, as C11 with -Wall -Wextra -Wpedantic -Werror, into
//! shared objects linked -Wl,--no-undefined against libmi_psrp; each exports
//! `MI_Main` and takes nothing from elsewhere but libc/libpthread and
//! libmi_psrp's `MI_*` exports (the `MI_Context_*` functions; everything else
//! of MI.h is inline and calls through the tables). And the files generated
//! from a module's MOF (scripts/mof2c.py) are what the generator writes
//! today. Loading and running them is the module host's tests' business.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::modules::{build_module, module_dirs};

/// (type letter, name without its version) of each dynamic symbol `nm -D`
/// lists with `filter` (`--undefined-only`, `--defined-only`).
fn dynamic_symbols(so: &Path, filter: &str) -> Vec<(String, String)> {
    let out = Command::new("nm")
        .args(["-D", filter])
        .arg(so)
        .output()
        .expect("run nm");
    assert!(out.status.success(), "nm -D {filter} {}", so.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace().rev();
            let name = words.next()?;
            let kind = words.next()?;
            let name = name.split('@').next().unwrap_or(name);
            Some((kind.to_owned(), name.to_owned()))
        })
        .collect()
}

fn defined_names(so: &Path) -> HashSet<String> {
    dynamic_symbols(so, "--defined-only")
        .into_iter()
        .map(|(_, name)| name)
        .collect()
}

/// The libc and libpthread `so` is linked with, as the loader finds them.
fn system_libraries(so: &Path) -> Vec<PathBuf> {
    let out = Command::new("ldd").arg(so).output().expect("run ldd");
    assert!(out.status.success(), "ldd {}", so.display());
    let libs: Vec<PathBuf> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (name, rest) = l.trim().split_once(" => ")?;
            let path = rest.split_whitespace().next()?;
            (name.starts_with("libc.so") || name.starts_with("libpthread.so"))
                .then(|| PathBuf::from(path))
        })
        .collect();
    assert!(
        libs.iter().any(|p| p.to_string_lossy().contains("libc.so")),
        "ldd {} names no libc:\n{}",
        so.display(),
        String::from_utf8_lossy(&out.stdout)
    );
    libs
}

#[test]
fn every_module_builds_for_both_char_types_exports_mi_main_and_imports_only_libc_and_mi() {
    let mi_exports: HashSet<String> = defined_names(&common::lib_dir().join("libmi_psrp.so"))
        .into_iter()
        .filter(|n| n.starts_with("MI_"))
        .collect();
    assert!(
        mi_exports.contains("MI_Context_PostResult"),
        "{mi_exports:?}"
    );

    let dirs = module_dirs();
    for want in [
        "tests/c/modules/xyz",
        "tests/c/modules/dyn",
        "c_examples/module",
    ] {
        assert!(
            dirs.iter().any(|d| d == want),
            "{want} missing from {dirs:?}"
        );
    }
    let mut system: HashSet<String> = HashSet::new();
    for dir in &dirs {
        for char_type in [1, 2] {
            let so = build_module(dir, char_type);
            let what = format!("{dir} (MI_CHAR_TYPE={char_type})");

            let exported = dynamic_symbols(&so, "--defined-only");
            assert!(
                exported.iter().any(|(k, n)| k == "T" && n == "MI_Main"),
                "{what} does not export MI_Main: {exported:?}"
            );

            if system.is_empty() {
                for lib in system_libraries(&so) {
                    system.extend(defined_names(&lib));
                }
            }
            let imports = dynamic_symbols(&so, "--undefined-only");
            assert!(
                imports.iter().any(|(_, n)| n == "MI_Context_PostResult"),
                "{what}: {imports:?}"
            );
            let foreign: Vec<&String> = imports
                .iter()
                // weak references (__gmon_start__, _ITM_*) may stay unresolved
                .filter(|(kind, _)| kind != "w" && kind != "v")
                .map(|(_, name)| name)
                .filter(|name| !mi_exports.contains(*name) && !system.contains(*name))
                .collect();
            assert!(
                foreign.is_empty(),
                "{what} imports symbols neither libc/libpthread nor libmi_psrp's MI_* define: {foreign:?}"
            );
        }
    }
}

#[test]
fn generated_module_files_are_what_mof2c_writes_from_their_mof() {
    let mut mofs = Vec::new();
    for dir in module_dirs() {
        for entry in std::fs::read_dir(common::repo().join(&dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "mof") {
                mofs.push(path);
            }
        }
    }
    assert!(mofs.len() >= 2, "{mofs:?}");
    for mof in mofs {
        let out = Command::new("python3")
            .arg(common::repo().join("scripts/mof2c.py"))
            .arg("--check")
            .arg(&mof)
            .current_dir(common::repo())
            .output()
            .expect("run python3 scripts/mof2c.py");
        assert!(
            out.status.success(),
            "scripts/mof2c.py --check {}: the generated files are stale \
             (run python3 scripts/mof2c.py on it)\n{}{}",
            mof.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
