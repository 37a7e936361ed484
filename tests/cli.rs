//! The `mi-psrp` command-line tool: `decode` prints one JSON object per
//! message, `watch` shows progress bars on a terminal and plain lines
//! elsewhere; malformed input is an error with a message and status 1.

mod common;

use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_mi-psrp");

fn capture_stream() -> Vec<u8> {
    let v: Value = serde_json::from_str(include_str!("fixtures/powershell-progress.json")).unwrap();
    v["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|x| common::hex(x["fragment_hex"].as_str().unwrap()))
        .collect()
}

fn run(args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn decode_prints_every_field_as_json() {
    let out = run(&["decode"], &capture_stream());
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/powershell-progress.json")).unwrap();
    assert_eq!(lines.len(), 2);
    for (line, vector) in lines.iter().zip(fixture["vectors"].as_array().unwrap()) {
        assert_eq!(line["record"], vector["record"], "every record field");
        for key in [
            "object_id",
            "destination",
            "message_type",
            "runspace_pool_id",
            "pipeline_id",
        ] {
            assert_eq!(line[key], vector[key], "{key}");
        }
    }
}

#[test]
fn decode_reads_a_file_and_keeps_lone_surrogates() {
    use mi_psrp::psrp::{
        Guid, MessageHeader, ProgressRecord, encode_progress_message, fragment_message,
    };
    let activity: Vec<u16> = vec![0x61, 0xD83C, 0x22];
    let record = ProgressRecord::new(1, activity.as_slice(), activity.as_slice());
    let mut message = Vec::new();
    encode_progress_message(
        &MessageHeader::progress(Guid::default(), Guid::default()),
        &record,
        &mut message,
    )
    .unwrap();
    let mut stream = Vec::new();
    fragment_message(&message, 1, 50, &mut stream);
    let path = common::tmp_dir().join("cli-lone.stream");
    std::fs::write(&path, &stream).unwrap();
    let out = Command::new(BIN).arg("decode").arg(&path).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(r#""Activity":"a\ud83c\"""#), "{text}");
}

#[test]
fn malformed_input_is_an_error() {
    let mut stream = capture_stream();
    stream.truncate(stream.len() - 3);
    for command in ["decode", "watch"] {
        let out = run(&[command], &stream);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("malformed stream") && err.contains("truncated fragment blob"),
            "{err}"
        );
    }
    let out = run(&["bogus"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["--help"], &[]);
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("mi-psrp watch"));
}

#[test]
fn watch_prints_lines_when_not_on_a_terminal() {
    let out = run(&["watch"], &capture_stream());
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "[   …] activity: description\n[done] Preparing modules for first use.\n"
    );
}

#[test]
fn watch_draws_bars_on_a_terminal() {
    // `script` gives the tool a pseudo-terminal, as a user's shell would.
    let exe = common::compile_c(
        "sample_host_cli",
        &["c_examples/sample_host.c", "c_examples/sample_provider.c"],
        &["-Ic_examples"],
    );
    let command = format!("{} --stream --delay 60 6 | {BIN} watch", exe.display());
    let out = Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .env("TERM", "xterm")
        .output()
        .expect("script (util-linux)");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen}");
    assert!(screen.contains("Copying files: "), "{screen}");
    assert!(
        screen.contains("#########") && screen.contains("] 100%"),
        "no bar drawn: {screen}"
    );
    assert!(screen.contains("1 activities completed"), "{screen}");
}
