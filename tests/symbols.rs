//! The shared library exports exactly the functions the headers declare —
//! nothing of Rust's internals — and carries a versioned SONAME.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

/// Function names declared in include/mi.h and include/mi_psrp.h.
fn declared() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for header in ["mi.h", "mi_psrp.h"] {
        let text = std::fs::read_to_string(common::repo().join("include").join(header)).unwrap();
        for line in text.lines() {
            // Prototypes start in column 0 with a return type: `MI_Result name(` / `void name(`.
            for ret in ["MI_Result ", "void "] {
                if let Some(rest) = line.strip_prefix(ret) {
                    if let Some((name, _)) = rest.split_once('(') {
                        if !name.contains(' ') && !name.contains('*') {
                            names.insert(name.to_owned());
                        }
                    }
                }
            }
        }
    }
    names
}

#[test]
fn exports_exactly_the_declared_functions() {
    let so = common::lib_dir().join("libmi_psrp.so");
    let out = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&so)
        .output()
        .expect("nm");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let exported: BTreeSet<String> = text
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_addr, kind, name) = (f.next()?, f.next()?, f.next()?);
            // Data, BSS and weak/other symbols would be as wrong as stray functions.
            Some(format!("{kind} {name}"))
        })
        .collect();
    let expected: BTreeSet<String> = declared().into_iter().map(|n| format!("T {n}")).collect();
    assert!(
        expected.len() >= 17,
        "header parsing found only {expected:?}"
    );
    assert_eq!(exported, expected, "nm -D --defined-only {}", so.display());
}

#[test]
fn has_a_versioned_soname() {
    let so = common::lib_dir().join("libmi_psrp.so");
    let out = Command::new("objdump")
        .arg("-p")
        .arg(&so)
        .output()
        .expect("objdump");
    let text = String::from_utf8_lossy(&out.stdout);
    let soname = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("SONAME"))
        .map(str::trim)
        .expect("no SONAME");
    assert_eq!(soname, env!("MIPSRP_SONAME"));
    let version = env!("CARGO_PKG_VERSION");
    let expected = if version.starts_with("0.") {
        format!("libmi_psrp.so.0.{}", version.split('.').nth(1).unwrap())
    } else {
        format!("libmi_psrp.so.{}", version.split('.').next().unwrap())
    };
    assert_eq!(soname, expected);
}
