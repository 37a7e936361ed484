//! `mi-psrp invoke|get|enumerate|create|modify|delete` on the xyz test
//! module: what it prints, its JSON lines and its exit status. Each run is a
//! process of its own, so the module's store starts from its two seed
//! widgets, `alpha` and `beta`, every time.
#![cfg(feature = "cli")]

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::modules::build_module;

fn mi_psrp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mi-psrp"))
        .args(args)
        .output()
        .expect("run mi-psrp")
}

fn module(char_type: u32) -> String {
    let p: PathBuf = build_module("xyz", char_type);
    p.to_str().expect("UTF-8 path").to_owned()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = mi_psrp(args);
    (
        o.status.code().unwrap_or(-1),
        text(&o.stdout),
        text(&o.stderr),
    )
}

/// The `Name : value` line of property `name`, value trimmed.
fn field<'a>(out: &'a str, name: &str) -> Vec<&'a str> {
    out.lines()
        .filter_map(|l| {
            let (n, v) = l.split_once(" : ")?;
            (n.trim_end() == name).then_some(v.trim())
        })
        .collect()
}

#[test]
fn enumerate_lists_every_widget_as_format_list() {
    for ct in [1, 2] {
        let m = module(ct);
        let (code, out, err) = run(&["enumerate", &m, "XYZ_Widget"]);
        assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
        assert!(
            out.contains("WARNING: XYZ_Widget instances last only as long as the module"),
            "{out}"
        );
        assert!(
            !out.contains("VERBOSE:"),
            "verbose shown without --verbose:\n{out}"
        );
        assert_eq!(field(&out, "Name"), ["alpha", "beta"], "{out}");
        // Names padded to the longest: every "Name" line has the same width before " : ".
        let widths: Vec<usize> = out.lines().filter_map(|l| l.find(" : ")).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{out}");
        assert_eq!(field(&out, "U8")[0], "255");
        assert_eq!(field(&out, "Enabled")[0], "True");
        assert!(field(&out, "U32s")[0].starts_with('{'), "{out}");
    }
}

#[test]
fn enumerate_verbose_and_keys_only() {
    let m = module(2);
    let (code, out, _) = run(&["enumerate", &m, "XYZ_Widget", "--verbose", "--keys-only"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("VERBOSE: enumerating XYZ_Widget"), "{out}");
    assert_eq!(field(&out, "Name"), ["alpha", "beta"], "{out}");
    assert!(field(&out, "U8").iter().all(|v| v.is_empty()), "{out}");
}

#[test]
fn enumerate_with_a_filter() {
    let m = module(1);
    let (code, out, err) = run(&["enumerate", &m, "XYZ_Widget", "--filter", "name = 'BETA'"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(field(&out, "Name"), ["beta"], "{out}");
    // Outside the subset: the operation ends with MI_RESULT_INVALID_QUERY.
    let (code, out, err) = run(&["enumerate", &m, "XYZ_Widget", "--filter", "Name LIKE 'b%'"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(field(&out, "Name").is_empty(), "{out}");
    // Only enumerate takes one.
    let (code, _, err) = run(&[
        "get",
        &m,
        "XYZ_Widget",
        "--key",
        r#"{"Name":"beta"}"#,
        "--filter",
        "A = 1",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("takes no --filter"), "{err}");
}

#[test]
fn get_by_key_and_not_found() {
    let m = module(1);
    let (code, out, err) = run(&["get", &m, "XYZ_Widget", "--key", r#"{"Name":"beta"}"#]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(field(&out, "Name"), ["beta"], "{out}");
    // PostResult(MI_RESULT_NOT_FOUND) without an error record: said on stderr.
    let (code, out, err) = run(&["get", &m, "XYZ_Widget", "--key", r#"{"Name":"nope"}"#]);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("MI_RESULT_NOT_FOUND"), "{err}");
}

#[test]
fn invoke_static_scan() {
    let m = module(2);
    let (code, out, err) = run(&[
        "invoke",
        &m,
        "XYZ_Widget",
        "Scan",
        "--arguments",
        r#"{"Pattern":"w"}"#,
        "--debug",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("WARNING:"), "{out}");
    assert!(out.contains("DEBUG:"), "{out}");
    assert!(!out.contains("VERBOSE:"), "{out}");
    assert!(out.contains("w-1") && out.contains("w-2"), "{out}");
    assert_eq!(field(&out, "Count"), ["2"], "{out}");
    assert_eq!(field(&out, "ReturnValue"), ["0"], "{out}");
}

#[test]
fn invoke_without_pattern_is_an_error() {
    let m = module(2);
    let (code, out, _) = run(&["invoke", &m, "XYZ_Widget", "Scan"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Scan needs a Pattern"), "{out}");
}

#[test]
fn invoke_instance_method_with_key() {
    let m = module(1);
    let (code, out, err) = run(&[
        "invoke",
        &m,
        "XYZ_Widget",
        "Resize",
        "--key",
        r#"{"Name":"alpha"}"#,
        "--arguments",
        r#"{"Size":42,"Note":"n"}"#,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(field(&out, "Note"), ["n resized alpha to 42"], "{out}");
    assert_eq!(field(&out, "Codes"), ["{1, 2, 3}"], "{out}");
}

#[test]
fn create_then_a_duplicate_fails() {
    let m = module(2);
    let (code, out, err) = run(&[
        "create",
        &m,
        "XYZ_Widget",
        "--properties",
        r#"{"Name":"w1","U8":7,"Stamp":"2024-05-06T07:08:09.123456+02:00","Part":{"Name":"p","Weight":3},"Texts":["a",null]}"#,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(field(&out, "Name"), ["w1"], "{out}");
    assert_eq!(field(&out, "U8"), ["7"], "{out}");
    // The seed widget alpha exists in every fresh process.
    let (code, out, err) = run(&[
        "create",
        &m,
        "XYZ_Widget",
        "--properties",
        r#"{"Name":"alpha"}"#,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("MI_RESULT_ALREADY_EXISTS"), "{err}");
}

#[test]
fn modify_and_delete() {
    let m = module(2);
    let (code, out, err) = run(&[
        "modify",
        &m,
        "XYZ_Widget",
        "--properties",
        r#"{"Name":"beta","Caption":"changed"}"#,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(field(&out, "Caption"), ["changed"], "{out}");
    let (code, out, _) = run(&["delete", &m, "XYZ_Widget", "--key", r#"{"Name":"beta"}"#]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = run(&["delete", &m, "XYZ_Widget", "--key", r#"{"Name":"gone"}"#]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn usage_and_load_errors_exit_2() {
    let m = module(2);
    for args in [
        &["get", &m, "XYZ_Widget"][..],
        &["invoke", &m, "XYZ_Widget"],
        &["enumerate", &m, "XYZ_Widget", "--frob"],
        &["get", &m, "XYZ_Widget", "--key", "not json"],
        &["get", &m, "NoSuchClass", "--key", r#"{"Name":"a"}"#],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.starts_with("mi-psrp: "), "{err}");
    }
    // The module says which classes it has: an unknown one is the
    // operation's error (a dynamic provider may serve any class).
    let (code, out, _) = run(&["enumerate", &m, "NoSuchClass"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("MiClientApiError_InvalidClass"), "{out}");
    let (code, _, err) = run(&["enumerate", "/nonexistent/module.so", "XYZ_Widget"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot load /nonexistent/module.so"), "{err}");
}

#[test]
fn a_bad_value_exits_2_naming_property_and_type() {
    let m = module(2);
    let (code, _, err) = run(&[
        "create",
        &m,
        "XYZ_Widget",
        "--properties",
        r#"{"Name":"w","U8":300}"#,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("property U8: 300 does not fit uint8"), "{err}");
    let (code, _, err) = run(&[
        "invoke",
        &m,
        "XYZ_Widget",
        "Resize",
        "--key",
        r#"{"Name":"alpha"}"#,
        "--arguments",
        r#"{"Size":-1}"#,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("property Size: -1 does not fit uint64"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "create",
        &m,
        "XYZ_Widget",
        "--properties",
        r#"{"Name":"w","Part":{"Weight":"heavy"}}"#,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("property Part.Weight: \"heavy\" does not fit uint32"),
        "{err}"
    );
    let (code, _, err) = run(&["create", &m, "XYZ_Widget", "--properties", r#"{"Nope":1}"#]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Nope"), "{err}");
}

#[test]
fn json_output_parses() {
    let m = module(2);
    let dir = std::env::temp_dir().join(format!("mi-psrp-cli-modules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let psrp = dir.join("scan.psrp");
    let (code, out, err) = run(&[
        "invoke",
        &m,
        "XYZ_Widget",
        "Scan",
        "--arguments",
        r#"{"Pattern":"w"}"#,
        "--json",
        "--verbose",
        "--psrp",
        psrp.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let kinds: Vec<&str> = lines.iter().filter_map(|l| l["kind"].as_str()).collect();
    for k in ["progress", "verbose", "warning", "output"] {
        assert!(kinds.contains(&k), "{k} missing: {kinds:?}");
    }
    let outputs: Vec<&serde_json::Value> = lines.iter().filter(|l| l["kind"] == "output").collect();
    let result = outputs.last().unwrap();
    assert_eq!(result["properties"]["Count"]["type"], "U32");
    assert_eq!(result["properties"]["Count"]["value"], 2);
    assert!(
        result["type_names"][0]
            .as_str()
            .unwrap()
            .contains("CimMethodResult"),
        "{result}"
    );
    let streamed = outputs
        .iter()
        .find(|o| o["properties"]["ItemValue"]["value"] == "w-1")
        .expect("a streamed result");
    assert_eq!(streamed["properties"]["ParameterName"]["value"], "Found");
    // The raw fragments went to the file, and decode reads its records.
    let bytes = std::fs::read(&psrp).unwrap();
    assert!(bytes.len() > 21);
    std::fs::remove_dir_all(&dir).ok();

    let (code, out, _) = run(&["enumerate", &m, "XYZ_Widget", "--json"]);
    assert_eq!(code, 0);
    let names: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|l| l["kind"] == "output")
        .map(|l| {
            l["properties"]["Name"]["value"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(names, ["alpha", "beta"]);
}

/// The Windows build (`make windows-test`): `mi-psrp.exe` run under Wine
/// with the xyz module built by mingw as a DLL (loaded with `LoadLibrary` and
/// `GetProcAddress("MI_Main")`) prints what Linux's `mi-psrp` prints with the
/// module's `.so`, and exits the same way, for both character types.
/// `MIPSRP_WINDOWS_BIN` names the directory holding `mi-psrp.exe`,
/// `xyz-1.dll` and `xyz-2.dll` (and the DLLs they need); `WINE` the launcher.
#[test]
#[ignore = "run by make windows-test, with the Windows build under Wine"]
fn windows_build_prints_what_linux_prints() {
    let dir = PathBuf::from(std::env::var_os("MIPSRP_WINDOWS_BIN").expect("MIPSRP_WINDOWS_BIN"));
    let wine = std::env::var("WINE").unwrap_or_else(|_| "wine".into());
    let commands: &[&[&str]] = &[
        &["enumerate", "M", "XYZ_Widget"],
        &["enumerate", "M", "XYZ_Widget", "--verbose", "--keys-only"],
        &["enumerate", "M", "XYZ_Widget", "--filter", "Name LIKE 'b%'"],
        &["enumerate", "M", "XYZ_Widget", "--json"],
        &["get", "M", "XYZ_Widget", "--key", r#"{"Name":"alpha"}"#],
        &[
            "invoke",
            "M",
            "XYZ_Widget",
            "Scan",
            "--arguments",
            r#"{"Pattern":"w"}"#,
            "--debug",
        ],
        &["invoke", "M", "XYZ_Widget", "Scan"],
        &[
            "invoke",
            "M",
            "XYZ_Widget",
            "Resize",
            "--key",
            r#"{"Name":"alpha"}"#,
            "--arguments",
            r#"{"Size":42,"Note":"n"}"#,
        ],
        &["delete", "M", "XYZ_Widget", "--key", r#"{"Name":"gone"}"#],
        &["enumerate", "M", "NoSuchClass"],
    ];
    let mut compared = 0;
    for ct in [1, 2] {
        let linux_module = module(ct);
        let dll = format!("xyz-{ct}.dll");
        for args in commands {
            let with = |m: &str| -> Vec<String> {
                args.iter()
                    .map(|a| {
                        if *a == "M" {
                            m.to_owned()
                        } else {
                            (*a).to_owned()
                        }
                    })
                    .collect()
            };
            let linux = mi_psrp(
                &with(&linux_module)
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            );
            let windows = Command::new(&wine)
                .arg("mi-psrp.exe")
                .args(with(&dll))
                .current_dir(&dir)
                .output()
                .expect("run wine mi-psrp.exe");
            let (lo, wo) = (text(&linux.stdout), text(&windows.stdout));
            assert_eq!(
                windows.status.code(),
                linux.status.code(),
                "{args:?} ({ct}): exit status\nwindows stdout:\n{wo}\nstderr:\n{}",
                text(&windows.stderr)
            );
            // Windows' console text is CRLF; the pool and pipeline GUIDs of
            // --json are new each run; the rest is the same.
            assert_eq!(
                mask_guids(&wo.replace("\r\n", "\n")),
                mask_guids(&lo),
                "{args:?} (MI_CHAR_TYPE {ct})"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 2 * commands.len());
}

/// `s` with every GUID (8-4-4-4-12 hex digits) written as `GUID`.
fn mask_guids(s: &str) -> String {
    let is_guid = |b: &[u8]| {
        b.len() == 36
            && b.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            })
    };
    let (b, mut out, mut i) = (s.as_bytes(), String::with_capacity(s.len()), 0);
    while i < b.len() {
        if b.len() - i >= 36 && is_guid(&b[i..i + 36]) {
            out.push_str("GUID");
            i += 36;
        } else {
            let c = s[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}
