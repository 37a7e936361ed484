//! Compiles and runs the C test harness (tests/c/harness.c) against the built
//! shared library, and checks what the headers refuse to compile.

mod common;

use std::process::Command;

#[test]
fn c_harness_passes() {
    let exe = common::compile_c("harness", &["tests/c/harness.c"], &[]);
    let out = common::run(&exe, &[]);
    let last = out.lines().last().unwrap_or_default();
    assert!(last.ends_with(" passed, 0 failed"), "{out}");
    let passed: u32 = last.split_whitespace().next().unwrap().parse().unwrap();
    assert!(
        passed >= 100,
        "the harness ran only {passed} checks:\n{out}"
    );
}

/// The stream slots and host controls in C, for each character type
/// mi-psrp's header supports.
fn streams_in_c(char_type: u32) {
    let define = format!("-DMI_CHAR_TYPE={char_type}");
    let exe = common::compile_c(
        &format!("streams_{char_type}"),
        &["tests/c/streams.c"],
        &[&define],
    );
    let out = common::run(&exe, &[]);
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!("MI_CHAR_TYPE {char_type}: "))
            && last.ends_with(" passed, 0 failed"),
        "{out}"
    );
    let passed: u32 = last.split_whitespace().nth(2).unwrap().parse().unwrap();
    assert!(passed >= 50, "only {passed} checks ran:\n{out}");
}

#[test]
fn stream_slots_in_c_wide() {
    streams_in_c(2);
}

#[test]
fn stream_slots_in_c_utf8() {
    streams_in_c(1);
}

#[test]
fn mi_char_type_is_1_or_2_like_microsofts() {
    let src = common::tmp_dir().join("char_type.c");
    std::fs::write(
        &src,
        "#include \"mi.h\"\nstatic const MI_Char text[] = MI_T(\"x\");\n\
         int main(void) { return (int)sizeof(text) - (int)sizeof(text); }\n",
    )
    .unwrap();
    let compile = |define: Option<&str>| {
        Command::new(common::cc())
            .args(["-Wall", "-Werror", "-fsyntax-only", "-I"])
            .arg(common::repo().join("include"))
            .args(define)
            .arg(&src)
            .output()
            .unwrap()
    };
    // 1 (UTF-8 char, OMI's default), 2 (wchar_t) and the default (2) compile.
    for define in [Some("-DMI_CHAR_TYPE=1"), Some("-DMI_CHAR_TYPE=2"), None] {
        let out = compile(define);
        assert!(
            out.status.success(),
            "{define:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Anything else is an #error, as in Microsoft's and OMI's headers.
    let out = compile(Some("-DMI_CHAR_TYPE=3"));
    assert!(!out.status.success(), "MI_CHAR_TYPE 3 compiled");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("MI_CHAR_TYPE must be 1 or 2"), "{stderr}");
}

#[test]
fn c_examples_build_and_report_progress() {
    let exe = common::compile_c(
        "sample_host",
        &["c_examples/sample_host.c", "c_examples/sample_provider.c"],
        &["-Ic_examples"],
    );
    let stream = common::tmp_dir().join("sample_host.stream");
    let out = common::run(&exe, &["3", "-o", stream.to_str().unwrap()]);
    let records: Vec<&str> = out
        .lines()
        .filter(|l| l.trim_start().starts_with("record"))
        .collect();
    assert!(records.len() >= 3, "{out}");
    assert!(records[0].contains("Activity=\"Copying files\""), "{out}");
    assert!(
        records[0].contains("StatusDescription=\"0 of 3 items copied\""),
        "{out}"
    );
    assert!(
        records[2].contains("CurrentOperation=\"copying sample3.txt\""),
        "{out}"
    );
    assert!(records[2].contains("PercentComplete=66"), "{out}");
    // The stream it wrote is what a PowerShell client would decode.
    let msgs = mi_psrp::psrp::decode_stream(&std::fs::read(stream).unwrap()).unwrap();
    assert_eq!(msgs.len(), records.len());
    assert_eq!(
        msgs[1].progress().unwrap().status_description,
        "1 of 3 items copied"
    );
    assert!(msgs.iter().map(|m| m.object_id).eq(1..=msgs.len() as u64));
}

#[test]
fn a_provider_built_against_microsofts_layout_works() {
    // Two translation units: the provider sees only tests/c/ms_mi.h.
    let exe = common::compile_c(
        "ms_layout",
        &["tests/c/ms_provider.c", "tests/c/ms_host.c"],
        &["-Itests/c"],
    );
    let out = common::run(&exe, &[]);
    let records: Vec<&str> = out.lines().filter(|l| l.starts_with("record ")).collect();
    assert_eq!(
        records,
        [
            "record working | Processing",
            "record working | Processing",
            "record cancelled, cleaning up | Processing",
            "record cancelled, cleaning up | Completed",
        ],
        "{out}"
    );
    assert!(out.contains("provider failures 0x0"), "{out}");
}

#[test]
fn host_connection_in_c() {
    // A host's connection through mi_psrp.h: framed sink, pool_send, the
    // host's ObjectIds, completion across threads, transport gone.
    let exe = common::compile_c("host_connection", &["tests/c/host_connection.c"], &[]);
    let out = common::run(&exe, &[]);
    let last = out.lines().last().unwrap_or_default();
    assert!(last.ends_with(" passed, 0 failed"), "{out}");
    let passed: u32 = last.split_whitespace().next().unwrap().parse().unwrap();
    assert!(passed >= 70, "only {passed} checks ran:\n{out}");
    // The C layout of mipsrp_fragment_info is Rust's.
    use mi_psrp::ffi::connection::mipsrp_fragment_info as Info;
    use std::mem::{offset_of, size_of};
    let rust = format!(
        "mipsrp_fragment_info {} {} {} {} {} {} {}",
        size_of::<Info>(),
        offset_of!(Info, object_id),
        offset_of!(Info, fragment_id),
        offset_of!(Info, message_type),
        offset_of!(Info, start),
        offset_of!(Info, end),
        offset_of!(Info, pipeline_id),
    );
    assert_eq!(out.lines().next(), Some(rust.as_str()), "{out}");
    assert_eq!(rust, "mipsrp_fragment_info 64 0 8 16 20 21 22");
}
