//! `mi-psrp decode` and `watch` on real sessions: the PSRP streams of
//! tests/fixtures/real-sessions (Windows PowerShell servers and the client
//! that talked to them, from pypsrp's public test recordings; see the
//! README there), both directions, every message type they hold. Each is
//! decoded and compared with psrpcore's reading (tests/interop/
//! psrpcore_session.py), message by message and member by member.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mi_psrp::psrp::{DecodeError, DecodedMessage, StreamDecoder, decode_stream};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_mi-psrp");

fn streams() -> Vec<PathBuf> {
    let dir = common::repo().join("tests/fixtures/real-sessions");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect();
    v.sort();
    assert_eq!(v.len(), 11, "the committed captures");
    v
}

fn tool(args: &[&str], file: &Path) -> Output {
    Command::new(BIN).args(args).arg(file).output().unwrap()
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Runs psrpcore_session.py on a stream and `decode`'s lines for it, which
/// must compare at least `min` values; returns its closing line ("N
/// compared, M skipped, 0 failed").
fn psrpcore_agrees(stream: &Path, decoded: &[u8], min: usize) -> String {
    let name = stream.file_name().unwrap().to_string_lossy().into_owned();
    let lines = common::tmp_dir().join(format!("{name}.jsonl"));
    std::fs::write(&lines, decoded).unwrap();
    let out = Command::new(common::python())
        .arg(common::repo().join("tests/interop/psrpcore_session.py"))
        .arg(stream)
        .arg(&lines)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{name}: psrpcore reads it otherwise:\n{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = text.lines().last().unwrap().to_owned();
    let compared: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(compared >= min, "{name}: {last}");
    last
}

#[test]
fn every_message_of_every_real_session_decodes_as_psrpcore_reads_it() {
    let mut kinds = BTreeSet::new();
    let mut directions = BTreeSet::new();
    for stream in streams() {
        let out = tool(&["decode"], &stream);
        assert!(
            out.status.success(),
            "{}: {}",
            stream.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let lines = json_lines(&out);
        assert!(!lines.is_empty());
        for l in &lines {
            kinds.insert(l["kind"].as_str().unwrap().to_owned());
            directions.insert(l["destination"].as_u64().unwrap());
        }
        let verdict = psrpcore_agrees(&stream, &out.stdout, 10);
        eprintln!("{}: {verdict}", stream.file_name().unwrap().display());
    }
    // The 27 message types the captures hold, each by its name, both ways.
    let expected: BTreeSet<String> = [
        "application_private_data",
        "connect_runspacepool",
        "create_pipeline",
        "debug",
        "encrypted_session_key",
        "end_of_pipeline_input",
        "error",
        "get_available_runspaces",
        "get_command_metadata",
        "information",
        "init_runspacepool",
        "pipeline_host_call",
        "pipeline_host_response",
        "pipeline_input",
        "pipeline_output",
        "pipeline_state",
        "progress",
        "public_key",
        "reset_runspace_state",
        "runspace_availability",
        "runspacepool_init_data",
        "runspacepool_state",
        "session_capability",
        "set_max_runspaces",
        "set_min_runspaces",
        "verbose",
        "warning",
    ]
    .map(String::from)
    .into();
    assert_eq!(kinds, expected);
    assert_eq!(directions, [1, 2].into());
}

fn fixture(name: &str) -> PathBuf {
    streams()
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .unwrap()
}

#[test]
fn decode_gives_states_host_calls_output_and_information_their_fields() {
    let out = tool(&["decode"], &fixture("test_psrp_pshost_methods@"));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["kind"], "pipeline_output");
    assert_eq!(lines[0]["record"]["ToString"], "en-US");
    assert_eq!(lines[0]["record"]["Properties"]["LCID"], 1033);
    // Byte for byte.
    let raw = String::from_utf8(out.stdout).unwrap();
    let raw: Vec<&str> = raw.lines().collect();
    assert_eq!(
        raw[1],
        r#"{"object_id":5,"destination":1,"message_type":"0x00041100","runspace_pool_id":"7225a707-6dc6-8c43-95e3-a2568109fd40","pipeline_id":"515c9558-2df7-d943-a2b8-deeea3b64869","kind":"pipeline_host_call","record":{"CallId":-100,"MethodId":6,"Method":"SetShouldExit","Arguments":[1]}}"#
    );
    assert_eq!(
        raw[2],
        r#"{"object_id":6,"destination":1,"message_type":"0x00041006","runspace_pool_id":"7225a707-6dc6-8c43-95e3-a2568109fd40","pipeline_id":"515c9558-2df7-d943-a2b8-deeea3b64869","kind":"pipeline_state","record":{"State":4,"Name":"Completed","Error":null}}"#
    );
    let out = tool(
        &["decode"],
        &fixture("test_psrp_stream_no_output_invocation@"),
    );
    let lines = json_lines(&out);
    let info = &lines[6];
    assert_eq!(info["kind"], "information");
    assert_eq!(
        info["record"]["Properties"]["MessageData"],
        "information stream"
    );
    assert_eq!(info["record"]["Properties"]["Source"], "Write-Information");
}

#[test]
fn watch_shows_a_real_sessions_progress_and_streams() {
    let out = tool(
        &["watch"],
        &fixture("test_psrp_stream_no_output_invocation@"),
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "[done] Preparing modules for first use.\n\
         DEBUG: debug stream\n\
         VERBOSE: verbose stream\n\
         error stream\n\
         \x20   + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n\
         \x20   + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException\n\
         output stream\n\
         WARNING: warning stream\n\
         information stream\n"
    );
}

#[test]
fn watch_draws_progress_sent_as_write_progress_host_calls() {
    // psrpcore's server host encodes the calls: the captures have none.
    let stream = common::tmp_dir().join("host-progress.bin");
    let status = Command::new(common::python())
        .arg(common::repo().join("tests/interop/psrpcore_host_progress.py"))
        .arg(&stream)
        .status()
        .unwrap();
    assert!(status.success());
    let out = tool(&["watch"], &stream);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "[ 30%] Copying: 3 of 10 — a.txt\n  [ 50%] Hashing: a.txt\nWARNING: disk almost full\n[done] Copying\n"
    );
    let decoded = tool(&["decode"], &stream);
    let lines = json_lines(&decoded);
    assert_eq!(lines[1]["record"]["Method"], "WriteProgress");
    assert_eq!(lines[1]["record"]["Progress"]["ParentActivityId"], 1);
    psrpcore_agrees(&stream, &decoded.stdout, 90);
}

/// Every message of `stream` through a decoder fed `read` bytes at a time;
/// the error, if any.
fn chunked(stream: &[u8], read: usize) -> (Vec<DecodedMessage>, Option<DecodeError>) {
    let mut d = StreamDecoder::new();
    let mut out = Vec::new();
    for c in stream.chunks(read) {
        if let Err(e) = d.push(c, &mut out) {
            return (out, Some(e));
        }
    }
    (out, d.finish().err())
}

#[test]
fn a_real_stream_cut_anywhere_gives_the_same_messages_also_before_an_error() {
    for path in streams() {
        let stream = std::fs::read(&path).unwrap();
        let whole = decode_stream(&stream).unwrap();
        // Malformed after the last message: a fragment header with flag bits
        // other than Start and End.
        let mut bad = stream.clone();
        bad.extend_from_slice(&[
            0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0x13, 0, 0, 0, 1,
        ]);
        for read in [1, 2, 3, 21, 40, 61, 100, 1000, bad.len()] {
            let (got, err) = chunked(&stream, read);
            assert_eq!((&got, err), (&whole, None), "{}", path.display());
            let (got, err) = chunked(&bad, read);
            assert_eq!(got, whole, "{} read {read}", path.display());
            assert_eq!(err, Some(DecodeError::InvalidFlags(0x13)));
        }
        // The tool prints them all, then says where the stream went wrong.
        let file = common::tmp_dir().join("bad-session.bin");
        std::fs::write(&file, &bad).unwrap();
        let out = tool(&["decode"], &file);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(json_lines(&out).len(), whole.len());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(&format!(
                "malformed stream at byte {}: fragment flags 0x13",
                bad.len()
            )),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The single-message captures of tests/fixtures/powershell-streams.json
/// (also real Windows PowerShell traffic from pypsrp's recordings): records,
/// INFORMATION_RECORD, ErrorRecords sent as PIPELINE_OUTPUT and
/// PIPELINE_STATE with `ExceptionAsErrorRecord`.
#[test]
fn captured_states_information_and_output_decode_as_psrpcore_reads_them() {
    let v: Value = serde_json::from_str(include_str!("fixtures/powershell-streams.json")).unwrap();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for c in v["captures"].as_array().unwrap() {
        let id = c["id"].to_string().replace('"', "");
        let file = common::tmp_dir().join(format!("streams-capture-{id}.bin"));
        std::fs::write(&file, common::hex(c["fragment_hex"].as_str().unwrap())).unwrap();
        let out = tool(&["decode"], &file);
        assert!(out.status.success(), "capture {id}");
        let lines = json_lines(&out);
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0]["kind"].as_str().unwrap(),
            c["message_type_name"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .trim_end_matches("_record"),
            "capture {id}"
        );
        *kinds
            .entry(lines[0]["kind"].as_str().unwrap().to_owned())
            .or_default() += 1;
        // psrpcore cannot read captures 10 and 11 (PowerShell 2.0's
        // InvocationInfo: psrp-streams-wire.md §9).
        if id != "10" && id != "11" {
            // The envelope (6) and at least the record's message or state.
            psrpcore_agrees(&file, &out.stdout, 8);
        }
        if id == "35" {
            let state = &lines[0]["record"];
            assert_eq!(state["State"], 5);
            assert_eq!(state["Name"], "Failed");
            assert_eq!(
                state["Error"]["FullyQualifiedErrorId"],
                "Microsoft.PowerShell.Commands.WriteErrorException"
            );
            assert_eq!(state["Error"]["Exception"]["Message"], "error");
            let out = tool(&["watch"], &file);
            assert_eq!(
                String::from_utf8(out.stdout).unwrap(),
                "error\n\
                 \x20   + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n\
                 \x20   + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException\n"
            );
        }
    }
    assert_eq!(kinds["pipeline_state"], 12);
    assert_eq!(kinds["information"], 10);
    assert_eq!(kinds["pipeline_output"], 3);
}
