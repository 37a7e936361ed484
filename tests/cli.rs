//! The `mi-psrp` command-line tool: `decode` prints one JSON object per
//! message, `watch` shows progress bars on a terminal and plain lines
//! elsewhere; malformed input is an error with a message and status 1.

mod common;
mod screen;

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
    // Write from another thread: the tool may fill its output pipe before it
    // has read all of its input.
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The tool may stop reading early (an error): that is not a failure here.
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
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
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && help.contains("watch") && help.contains("--max-message-size"));
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

/// A stream of progress messages, one per `(activity_id, parent, activity)`.
fn progress_stream(records: &[(i32, i32, &str)], fragment_size: u32) -> Vec<u8> {
    use mi_psrp::psrp::{
        Guid, MessageHeader, ProgressRecord, encode_progress_message, fragment_message,
    };
    let mut stream = Vec::new();
    for (i, &(id, parent, activity)) in records.iter().enumerate() {
        let mut record = ProgressRecord::new(id, activity, "status");
        record.parent_activity_id = parent;
        let mut message = Vec::new();
        encode_progress_message(
            &MessageHeader::progress(Guid::default(), Guid::default()),
            &record,
            &mut message,
        )
        .unwrap();
        fragment_message(&message, i as u64 + 1, fragment_size, &mut stream);
    }
    stream
}

/// Runs the tool on an endless input; fails the test if it has not ended
/// within `seconds` (it should end at once).
fn run_until_exit(args: &[&str], seconds: u64) -> std::process::Output {
    let child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output().unwrap()));
    match rx.recv_timeout(std::time::Duration::from_secs(seconds)) {
        Ok(out) => out,
        Err(_) => {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("mi-psrp {args:?} still running after {seconds} s");
        }
    }
}

#[test]
fn random_bytes_end_at_once_with_the_byte_that_is_wrong() {
    // /dev/urandom never ends: the tool must stop at the first bad header.
    for command in ["decode", "watch"] {
        let out = run_until_exit(&[command, "/dev/urandom"], 60);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("malformed stream at byte "), "{err}");
    }
    // The same, reproducibly: the 21st byte completes a header with bad flags.
    let mut bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    bytes[16] = 0x40;
    let out = run(&["decode"], &bytes);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("malformed stream at byte 21: fragment flags 0x40 have unknown bits"),
        "{err}"
    );
}

#[test]
fn the_maximum_message_size_is_enforced_and_can_be_raised() {
    let big = "x".repeat(3000);
    let stream = progress_stream(&[(1, -1, &big)], 32768);
    let out = run(&["--max-message-size", "2048", "decode"], &stream);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("malformed stream at byte 21: object 1 would be")
            && err.contains("above the maximum message size of 2048"),
        "{err}"
    );
    assert!(run(&["decode"], &stream).status.success());
    // A message above the default 1 MiB needs the flag.
    let huge = "y".repeat(1 << 20);
    let stream = progress_stream(&[(1, -1, &huge)], u32::MAX);
    assert_eq!(run(&["decode"], &stream).status.code(), Some(1));
    let out = run(&["decode", "--max-message-size", "2000000"], &stream);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        run(&["--max-message-size", "lots", "decode"], &[])
            .status
            .code(),
        Some(2)
    );
}

/// A provider string that tries every trick on the terminal.
const HOSTILE: &str =
    "a\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[1A\r\u{9b}31m\u{85}\u{202e}txt.exe\u{2066}\u{7f}\u{0}z";

fn assert_no_unsafe(text: &str) {
    use mi_psrp::cli::sanitize::is_unsafe;
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && is_unsafe(c))
        .collect();
    assert!(bad.is_empty(), "{bad:?} reached the output: {text:?}");
}

#[test]
fn no_control_character_from_a_record_reaches_the_output() {
    let stream = progress_stream(&[(1, -1, HOSTILE)], 32768);
    // JSON escapes them (C1 and bidi included) and a JSON reader gets them back.
    let out = run(&["decode"], &stream);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_no_unsafe(&text);
    assert!(
        text.contains(r"\u009b") && text.contains(r"\u202e"),
        "{text}"
    );
    let v: Value = serde_json::from_str(text.trim_end()).unwrap();
    assert_eq!(v["record"]["Activity"], HOSTILE);
    // Plain lines show them visibly.
    let out = run(&["watch"], &stream);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_no_unsafe(&text);
    assert!(
        text.starts_with("[   …] a<U+001B>]0;owned<U+0007><U+001B>[2J<U+001B>[1A<U+000D><U+009B>31m<U+0085><U+202E>txt.exe<U+2066><U+007F><U+0000>z: status"),
        "{text}"
    );
    // Error messages quote input too: an element name with a C1 control.
    let mut message =
        mi_psrp::psrp::MessageHeader::progress(Default::default(), Default::default())
            .to_bytes()
            .to_vec();
    message.extend("<Obj RefId=\"0\"><MS><S N=\"Activity\">x<b\u{9b}2J/></S></MS></Obj>".bytes());
    let mut stream = Vec::new();
    mi_psrp::psrp::fragment_message(&message, 1, 32768, &mut stream);
    for command in ["decode", "watch"] {
        let out = run(&[command], &stream);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8(out.stderr).unwrap();
        assert_no_unsafe(&err);
        assert!(err.contains("unexpected element <b<U+009B>2J>"), "{err}");
    }
}

#[test]
fn plain_lines_stay_linear_in_a_deep_parent_chain() {
    let records: Vec<(i32, i32, &str)> = (0..5000).map(|i| (i, i - 1, "a")).collect();
    let stream = progress_stream(&records, 32768);
    let out = run(&["watch"], &stream);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 5000);
    let max_indent = mi_psrp::cli::watch::MAX_INDENT_DEPTH * 2;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        assert!(indent <= max_indent, "{indent} spaces: {line:?}");
    }
    assert!(
        text.lines().nth(1).unwrap().starts_with("  [")
            && text
                .lines()
                .last()
                .unwrap()
                .starts_with(&" ".repeat(max_indent))
    );
    // Output grows with the input, not with its square.
    assert!(
        text.len() < stream.len() / 4,
        "{} bytes out of {}",
        text.len(),
        stream.len()
    );
}

fn decoded(stream: &[u8]) -> Vec<mi_psrp::psrp::DecodedMessage> {
    mi_psrp::psrp::decode_stream(stream).unwrap()
}

fn completed(id: i32) -> Vec<u8> {
    use mi_psrp::psrp::{
        Guid, MessageHeader, ProgressRecord, ProgressRecordType, encode_progress_message,
        fragment_message,
    };
    let mut record = ProgressRecord::new(id, "done", " ");
    record.record_type = ProgressRecordType::Completed;
    let mut message = Vec::new();
    encode_progress_message(
        &MessageHeader::progress(Guid::default(), Guid::default()),
        &record,
        &mut message,
    )
    .unwrap();
    let mut stream = Vec::new();
    fragment_message(&message, 99, 32768, &mut stream);
    stream
}

#[test]
fn bars_nest_children_under_their_own_parent_and_show_what_fits() {
    use mi_psrp::cli::Show;
    use mi_psrp::cli::bars::{Bars, bars_that_fit};
    let screen = screen::Screen::new(10);
    assert_eq!(bars_that_fit(10), 4);
    let mut bars = Bars::new(screen.clone());
    let stream = progress_stream(
        &[
            (1, -1, "one"),
            (2, -1, "two"),
            (10, 1, "one.a"),
            (20, 2, "two.a"),
            (11, 1, "one.b"),
            (3, -1, HOSTILE),
        ],
        32768,
    );
    for m in decoded(&stream) {
        bars.message(&m).unwrap();
    }
    assert_eq!(
        bars.rows(),
        [
            "one: status",
            "  one.a: status",
            "  one.b: status",
            "two: status"
        ]
    );
    assert_eq!(bars.hidden(), 2);
    assert!(
        screen
            .contents()
            .contains("… and 2 more activities not shown")
    );
    // Completing a parent removes its children too; the hidden ones move up.
    for m in decoded(&completed(1)) {
        bars.message(&m).unwrap();
    }
    let rows = bars.rows();
    assert_eq!(rows[..2], ["two: status", "  two.a: status"]);
    assert!(rows[2].starts_with("a<U+001B>]0;owned<U+0007>"), "{rows:?}");
    assert_eq!(bars.hidden(), 0);
    for row in &rows {
        assert_no_unsafe(row);
    }
    bars.end().unwrap();
    assert!(screen.contents().ends_with("1 activities completed\n"));
}

fn stream_captures(ids: &[usize]) -> Vec<u8> {
    let v: Value = serde_json::from_str(include_str!("fixtures/powershell-streams.json")).unwrap();
    ids.iter()
        .flat_map(|&i| common::hex(v["captures"][i]["fragment_hex"].as_str().unwrap()))
        .collect()
}

/// Warning 0, verbose 5, debug 8, errors 27 and 29, progress 30.
const MIXED: [usize; 6] = [0, 5, 30, 8, 27, 29];

#[test]
fn decode_prints_stream_records_as_json() {
    let out = run(&["decode"], &stream_captures(&MIXED));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["warning", "verbose", "progress", "debug", "error", "error"]
    );
    assert_eq!(lines[0]["message_type"], "0x00041009");
    assert_eq!(
        lines[0]["record"],
        serde_json::json!({"Message": "warning stream"})
    );
    assert_eq!(lines[1]["record"]["Message"], "verbose stream");
    assert_eq!(lines[3]["record"]["Message"], "debug stream");
    assert_eq!(
        lines[5]["record"],
        serde_json::json!({
            "Exception": {
                "Type": "System.Management.Automation.ProviderNotFoundException",
                "Message": "Cannot find a provider with the name 'FileSystem'."
            },
            "TargetObject": "FileSystem",
            "FullyQualifiedErrorId": "ProviderNotFound,Microsoft.PowerShell.Commands.GetItemCommand",
            "ErrorCategory_Category": 13,
            "ErrorCategory_Activity": "Get-Item",
            "ErrorCategory_Reason": "ProviderNotFoundException",
            "ErrorCategory_TargetName": "FileSystem",
            "ErrorCategory_TargetType": "String",
            "ErrorCategory_Message": "ObjectNotFound: (FileSystem:String) [Get-Item], ProviderNotFoundException",
            "ErrorDetails_Message": null
        })
    );
    assert_eq!(lines[4]["record"]["TargetObject"], Value::Null);
    assert_eq!(lines[4]["record"]["ErrorCategory_Category"], 0);
}

#[test]
fn watch_writes_records_as_powershells_console_does() {
    let out = run(&["watch"], &stream_captures(&MIXED));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "WARNING: warning stream\n\
         VERBOSE: verbose stream\n\
         [   …] activity: description\n\
         DEBUG: debug stream\n\
         error stream\n    \
         + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n    \
         + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException\n\
         Cannot find a provider with the name 'FileSystem'.\n    \
         + CategoryInfo          : ObjectNotFound: (FileSystem:String) [Get-Item], ProviderNotFoundException\n    \
         + FullyQualifiedErrorId : ProviderNotFound,Microsoft.PowerShell.Commands.GetItemCommand\n"
    );
    // A message of several lines: one WARNING: prefix, its lines below, no raw CR.
    let out = run(&["watch"], &stream_captures(&[3]));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("WARNING: Failed to disable MaximumAllowedMemory"),
        "{text}"
    );
    assert!(text.lines().count() > 1 && !text.contains('\r'), "{text:?}");
}

/// A WARNING_RECORD message in PowerShell's form (spec §3.1) with `message`.
fn warning_stream(message: &str) -> Vec<u8> {
    use mi_psrp::psrp::text::encode_str;
    use mi_psrp::psrp::{MessageHeader, WARNING_RECORD, fragment_message};
    let mut text = Vec::new();
    encode_str(message, &mut text);
    let text = String::from_utf8(text).unwrap();
    let mut header = MessageHeader::progress(Default::default(), Default::default());
    header.message_type = WARNING_RECORD;
    let mut m = header.to_bytes().to_vec();
    m.extend(format!("<Obj RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.WarningRecord</T><T>System.Management.Automation.InformationalRecord</T><T>System.Object</T></TN><ToString>{text}</ToString><MS><S N=\"InformationalRecord_Message\">{text}</S><B N=\"InformationalRecord_SerializeInvocationInfo\">false</B></MS></Obj>").bytes());
    let mut stream = Vec::new();
    fragment_message(&m, 50, 32768, &mut stream);
    stream
}

#[test]
fn record_text_is_sanitized_in_every_view() {
    let stream = warning_stream(HOSTILE);
    let out = run(&["watch"], &stream);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_no_unsafe(&text);
    // CR is a line break for the console; every other control is shown.
    assert_eq!(
        text,
        "WARNING: a<U+001B>]0;owned<U+0007><U+001B>[2J<U+001B>[1A\n<U+009B>31m<U+0085><U+202E>txt.exe<U+2066><U+007F><U+0000>z\n"
    );
    let out = run(&["decode"], &stream);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_no_unsafe(&text);
    let v: Value = serde_json::from_str(text.trim_end()).unwrap();
    assert_eq!(v["record"]["Message"], HOSTILE);
}

#[test]
fn bars_print_records_above_and_keep_drawing_progress() {
    use mi_psrp::cli::Show;
    use mi_psrp::cli::bars::Bars;
    let screen = screen::Screen::new(24);
    let mut bars = Bars::new(screen.clone());
    let mut stream = progress_stream(&[(1, -1, "one")], 32768);
    stream.extend(stream_captures(&[0, 27]));
    stream.extend(warning_stream(HOSTILE));
    stream.extend(progress_stream(&[(2, 1, "two")], 32768));
    for m in decoded(&stream) {
        bars.message(&m).unwrap();
    }
    assert_eq!(bars.rows(), ["one: status", "  two: status"]);
    let shown = screen.contents();
    for line in [
        "WARNING: warning stream",
        "error stream",
        "    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException",
        "    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException",
        "WARNING: a<U+001B>]0;owned<U+0007>",
    ] {
        assert!(shown.contains(line), "{line:?} not in {shown:?}");
    }
    assert!(!shown.contains('\u{9b}') && !shown.contains('\u{202e}'));
}
