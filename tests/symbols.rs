//! The shared library exports exactly the extern functions the headers declare
//! — not their `MI_INLINE` helpers, nothing of Rust's internals — and carries a
//! versioned SONAME.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

/// Functions `mi.h` declares for the provider to define: a generated
/// `schema.c` implements them through its `__mi_server`.
const PROVIDER_DEFINED: &[&str] = &["MI_Server_GetSystemName", "MI_Server_GetVersion"];

/// The functions of include/mi.h and include/mi_psrp.h: (extern declarations,
/// `MI_INLINE` definitions). Declarations and definitions start in column 0
/// with a return type: `MI_Result name(`, `void name(`, `MI_Result MI_CALL name(`,
/// or `MI_INLINE MI_Result MI_CALL name(` for an inline helper, which is
/// compiled into the provider and never exported.
fn declared() -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut externs, mut inlines) = (BTreeSet::new(), BTreeSet::new());
    for header in ["mi.h", "mi_psrp.h"] {
        let text = std::fs::read_to_string(common::repo().join("include").join(header)).unwrap();
        for line in text.lines() {
            let (set, rest) = match line.strip_prefix("MI_INLINE ") {
                Some(rest) => (&mut inlines, rest),
                None => (&mut externs, line),
            };
            let Some(rest) = ["MI_Result ", "void "]
                .iter()
                .find_map(|r| rest.strip_prefix(r))
            else {
                continue;
            };
            let rest = rest.strip_prefix("MI_CALL ").unwrap_or(rest);
            if let Some((name, _)) = rest.split_once('(') {
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    set.insert(name.to_owned());
                }
            }
        }
    }
    (externs, inlines)
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
    let (externs, inlines) = declared();
    for name in PROVIDER_DEFINED {
        assert!(externs.contains(*name), "mi.h does not declare {name}");
    }
    let expected: BTreeSet<String> = externs
        .iter()
        .filter(|n| !PROVIDER_DEFINED.contains(&n.as_str()))
        .map(|n| format!("T {n}"))
        .collect();
    assert!(
        expected.len() >= 17,
        "header parsing found only {expected:?}"
    );
    assert!(
        inlines.len() >= 50 && inlines.contains("MI_Instance_SetElementAt"),
        "header parsing found only these inline helpers: {inlines:?}"
    );
    assert!(
        inlines.is_disjoint(&externs),
        "defined inline and declared extern: {:?}",
        inlines.intersection(&externs).collect::<Vec<_>>()
    );
    // Every extern function is exported, and nothing else: no inline helper,
    // no function the provider defines, nothing of Rust's.
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
