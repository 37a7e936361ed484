"""The example endpoint (examples/psrp_server.py hosting examples/demo_provider.c
through mi-psrp) driven by pypsrp 1.0.0b1, a PowerShell remoting client
nobody here wrote, through examples/pypsrp_client.py.

Every record the provider writes must reach pypsrp with every field equal,
in order with the outputs, with several pipelines at once, at the default and
at a 64-byte fragment size; a Stop must reach the provider's cancel
callback and end the pipeline Stopped; a PostError must leave the pipeline
Completed with its error record delivered. ObjectIds of the connection must
be unique and increasing across the session's messages (psrpcore's) and the
provider's (mi-psrp's).

Run by tests/pypsrp_endpoint.rs, which sets MIPSRP_LIB and DEMO_PROVIDER.
pypsrp has no timeouts: each client runs under TIMEOUT, so a hang fails.
"""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLIENT = os.path.join(ROOT, "examples", "pypsrp_client.py")
PROVIDER = os.environ["DEMO_PROVIDER"]
TIMEOUT = 180

PROGRESS_RECORD = 0x00041010
PIPELINE_OUTPUT = 0x00041004
PIPELINE_STATE = 0x00041006
SESSION_CAPABILITY = 0x00010002
RUNSPACEPOOL_STATE = 0x00021005
ERROR_RECORD = 0x00041005
WARNING_RECORD = 0x00041009


def run_client(tmp_path, *operations, fragment_size=None):
    """Runs the pypsrp client; returns its events (in arrival order) and the
    server's wire log: (object_id, message_type, pipeline_id) per message."""
    wire = tmp_path / "wire.log"
    cmd = [sys.executable, CLIENT, "--json", "--provider", PROVIDER, "--server-wire-log", str(wire)]
    if fragment_size:
        cmd += ["--fragment-size", str(fragment_size)]
    proc = subprocess.run(cmd + list(operations), capture_output=True, timeout=TIMEOUT, text=True)
    assert proc.returncode == 0, f"client failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    messages = [line.split() for line in wire.read_text().splitlines()]
    return events, [(int(o), int(t, 16), p) for o, t, p in messages]


def by_pipeline(events):
    out = {}
    for e in events:
        out.setdefault(e.pop("pipeline"), []).append(e)
    return out


def progress(activity, current, status, percent, seconds, record_type="Processing"):
    return {
        "kind": "progress",
        "Activity": activity,
        "StatusDescription": status,
        "CurrentOperation": current,
        "ParentActivityId": -1,
        "PercentComplete": percent,
        "SecondsRemaining": seconds,
        "RecordType": record_type,
    }


def cim_error(message, fqid, category):
    return {
        "kind": "error",
        "Message": message,
        "ExceptionType": "Deserialized.Microsoft.Management.Infrastructure.CimException",
        "FullyQualifiedErrorId": fqid,
        "Category": category,
        "Reason": "CimException",
        "Activity": "",
        "TargetName": "",
        "TargetType": "",
        "TargetObject": None,
    }


def expected_copy(n):
    """What demo_provider.c's "copy" writes, in its order."""
    out = []
    for i in range(1, n + 1):
        status = f"{i - 1} of {n} files copied \u2014 caf\u00e9"
        out.append(progress("Copying files", f"copying file{i}.txt", status, (i - 1) * 100 // n, n - i + 1))
        out.append({"kind": "verbose", "Message": f"copied file{i}.txt"})
        out.append({"kind": "debug", "Message": f"file{i}.txt: {i * 1000} bytes"})
        if i == 2:
            out.append({"kind": "warning", "Message": "file2.txt is larger than the quota"})
        if i == 3:
            out.append(cim_error("file3.txt: not found", "MiClientApiError_NotFound", 13))
        out.append({"kind": "output", "value": f"file{i}.txt"})
    # PostResult: the Completed record, with the last write's texts.
    out.append(progress("Copying files", None, f"{n - 1} of {n} files copied \u2014 caf\u00e9", -1, -1, "Completed"))
    out.append({"kind": "state", "state": "Completed", "reason": None})
    return out


def expected_fail():
    return [
        progress("Opening share", "\\\\server\\share", "connecting", 10, -1),
        {"kind": "output", "value": "connected"},
        # PostError: its error record, then Completed; the pipeline Completed.
        cim_error("Access to \\\\server\\share is denied", "MiClientApiError_AccessDenied", 18),
        progress("Opening share", None, "connecting", -1, -1, "Completed"),
        {"kind": "state", "state": "Completed", "reason": None},
    ]


def expected_wait():
    return [
        progress("Waiting", None, "waiting for Stop", -1, -1),
        {"kind": "output", "value": "waiting"},
        # The client stopped the pipeline on that output: the Signal reached
        # the provider's cancel callback (MI_REASON_NONE), which let it end.
        {"kind": "warning", "Message": "cancel callback called, reason 0"},
        progress("Waiting", None, "waiting for Stop", -1, -1, "Completed"),
        {"kind": "state", "state": "Stopped", "reason": "The pipeline has been stopped."},
    ]


EXPECTED = {"copy:3": expected_copy(3), "copy:5": expected_copy(5), "fail": expected_fail(), "wait": expected_wait()}


@pytest.mark.parametrize("fragment_size", [None, 64], ids=["default-fragments", "64-byte-fragments"])
def test_every_record_arrives_with_every_field_in_order_several_pipelines_at_once(tmp_path, fragment_size):
    operations = ["copy:3", "copy:5", "fail", "wait", "copy:3"]
    events, wire = run_client(tmp_path, *operations, fragment_size=fragment_size)
    runs = by_pipeline(events)
    assert sorted(runs) == sorted(f"{op}#{i}" for i, op in enumerate(operations, 1))

    activity_ids = {}
    for label, got in runs.items():
        # ActivityId is the host's choice (the next free one of the pool):
        # one per operation, the same in all its records.
        ids = {e.pop("ActivityId") for e in got if e["kind"] == "progress"}
        assert len(ids) == 1, (label, ids)
        activity_ids[label] = ids.pop()
        assert got == EXPECTED[label.split("#")[0]], label
    assert len(set(activity_ids.values())) == len(operations), activity_ids

    # One connection, one counter: every message of the session (psrpcore's
    # and the provider's) has a unique ObjectId, increasing in wire order.
    object_ids = [o for o, _, _ in wire]
    assert object_ids == sorted(set(object_ids)), object_ids
    types = {t for _, t, _ in wire}
    assert {SESSION_CAPABILITY, RUNSPACEPOOL_STATE, PIPELINE_STATE, PIPELINE_OUTPUT} <= types, "psrpcore's"
    assert {PROGRESS_RECORD, WARNING_RECORD, ERROR_RECORD} <= types, "mi-psrp's"
    # Fragments went to their pipeline's PSGuid: each pipeline's records and
    # state under its id, the session's under the nil id.
    nil = "00000000-0000-0000-0000-000000000000"
    assert {p for _, t, p in wire if t in (SESSION_CAPABILITY, RUNSPACEPOOL_STATE)} == {nil}
    assert nil not in {p for _, t, p in wire if t in (PROGRESS_RECORD, PIPELINE_STATE, PIPELINE_OUTPUT)}
    assert len({p for _, t, p in wire if t == PIPELINE_STATE}) == len(operations)


def test_records_arrive_live(tmp_path):
    """The client stops "wait" when its first output arrives, while the
    provider is blocked waiting for that Stop: had records or outputs been
    held until the end, it would never stop (and the run would time out)."""
    events, _ = run_client(tmp_path, "wait", fragment_size=64)
    got = [{k: v for k, v in e.items() if k != "ActivityId"} for e in by_pipeline(events)["wait#1"]]
    assert got == expected_wait()
