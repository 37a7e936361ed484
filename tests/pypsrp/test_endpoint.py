"""The example endpoint (examples/psrp_server.py hosting the Demo_Folder
sample module of c_examples/module through mi-psrp) driven by pypsrp
1.0.0b1, a PowerShell remoting client nobody here wrote, through
examples/pypsrp_client.py.

Every record the provider writes and every object it posts must reach pypsrp
with every field equal, in order, with several pipelines at once, at the
default and at a 64-byte fragment size, from a wide and from a UTF-8 build of
the module; a Stop must reach the provider's cancel callback and end the
pipeline Stopped; a PostError must leave the pipeline Completed with its
error record delivered. ObjectIds of the connection must be unique and
increasing across the session's messages (psrpcore's) and the provider's
(mi-psrp's: records and outputs).

The expectations below are written from c_examples/module/Demo_Folder.c
(its catalogue, texts and arithmetic): change both together.

Run by tests/pypsrp_endpoint.rs, which sets MIPSRP_LIB, DEMO_MODULE (the
module built with wchar_t strings) and DEMO_MODULE_UTF8. pypsrp has no
timeouts: each client runs under TIMEOUT, so a hang fails.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLIENT = os.path.join(ROOT, "examples", "pypsrp_client.py")
SERVER = os.path.join(ROOT, "examples", "psrp_server.py")
MODULES = {"wide": os.environ["DEMO_MODULE"], "utf8": os.environ["DEMO_MODULE_UTF8"]}
TIMEOUT = 180

PROGRESS_RECORD = 0x00041010
PIPELINE_OUTPUT = 0x00041004
PIPELINE_STATE = 0x00041006
SESSION_CAPABILITY = 0x00010002
RUNSPACEPOOL_STATE = 0x00021005
ERROR_RECORD = 0x00041005
WARNING_RECORD = 0x00041009
VERBOSE_RECORD = 0x00041008

CIM = "Deserialized.Microsoft.Management.Infrastructure."
NAMESPACE = "root/cimv2"  # the endpoint's default, as PowerShell's CIM cmdlets'

# Demo_Folder.c's catalogue: Path → (Size, Files, Modified).
CATALOGUE = {
    "/srv/photos": (8254631936, 1523, "2024-05-01T09:30:00+00:00"),
    "/srv/music": (3120562176, 842, "2023-11-17T21:05:00+00:00"),
    "/srv/docs": (48234496, 67, "2024-06-03T08:15:00+00:00"),
}
STEPS, STEP_MS = 5, 3  # Backup's file progress records per folder, ms per step


def run_client(tmp_path, *operations, fragment_size=None, module="wide"):
    """Runs the pypsrp client; returns its events (in arrival order) and the
    server's wire log: (object_id, message_type, pipeline_id) per message."""
    wire = tmp_path / "wire.log"
    cmd = [sys.executable, CLIENT, "--json", "--module", MODULES[module], "--server-wire-log", str(wire)]
    cmd += ["--server-log", str(tmp_path / "server.log")]
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
        "ExceptionType": CIM + "CimException",
        "FullyQualifiedErrorId": fqid,
        "Category": category,
        "Reason": "CimException",
        "Activity": "",
        "TargetName": "",
        "TargetType": "",
        "TargetObject": None,
    }


def folder(path):
    """A Demo_Folder as the endpoint's CimInstance, deserialized."""
    size, files, modified = CATALOGUE[path]
    return {
        "TypeNames": [
            f"{CIM}CimInstance#{NAMESPACE}/Demo_Folder",
            f"{CIM}CimInstance#Demo_Folder",
            f"{CIM}CimInstance",
            "Deserialized.System.Object",
        ],
        "ToString": f'Demo_Folder (Path = "{path}")',
        "Properties": {"Path": path, "Size": size, "Files": files, "Modified": modified, "PSComputerName": None},
    }


def expected_backup(folders):
    """What Demo_Folder_Invoke_Backup writes and posts, in its order."""
    count, out, copied = len(folders), [], []
    for i, path in enumerate(folders):
        out.append(
            progress("Backing up folders", path, f"{i} of {count} folders", i * 100 // count, (count - i) * STEPS * STEP_MS // 1000)
        )
        if path not in CATALOGUE:
            out.append({"kind": "warning", "Message": f"skipping {path}: no such folder"})
            continue
        files = CATALOGUE[path][1]
        for step in range(STEPS + 1):
            status = f"{i} of {count} folders, {files * step // STEPS} of {files} files copied"
            percent = (i * STEPS + step) * 100 // (count * STEPS)
            seconds = ((count - i) * STEPS - step) * STEP_MS // 1000
            out.append(progress("Backing up folders", path, status, percent, seconds))
        copied.append(path)
        out.append({"kind": "verbose", "Message": f"backed up {path} ({files} files)"})
    out.append(progress("Backing up folders", None, f"{count} of {count} folders", 100, 0))
    out.append(
        {
            "kind": "output",
            "TypeNames": [
                f"{CIM}CimMethodResult#Demo_Folder#Backup",
                f"{CIM}CimMethodResult",
                "Deserialized.System.Management.Automation.PSCustomObject",
                "Deserialized.System.Object",
            ],
            "ToString": None,
            "Properties": {
                "Copied": len(copied),
                "Results": [folder(p) for p in copied],
                "ReturnValue": count - len(copied),  # MIReturn: the folders skipped
                "PSComputerName": None,
            },
        }
    )
    # PostResult: the Completed record, with the last write's texts.
    out.append(progress("Backing up folders", None, f"{count} of {count} folders", -1, -1, "Completed"))
    out.append({"kind": "state", "state": "Completed", "reason": None})
    return out


def expected_list():
    """EnumerateInstances: the catalogue, one CimInstance each, no records."""
    return [{"kind": "output", **folder(p)} for p in CATALOGUE] + [{"kind": "state", "state": "Completed", "reason": None}]


def expected_fail():
    return [
        # Backup without Folders: PostError, its error record; the pipeline Completed.
        cim_error("Backup needs at least one folder", "MiClientApiError_InvalidParameter", 5),
        {"kind": "state", "state": "Completed", "reason": None},
    ]


def expected_watch(folders):
    out = []
    for path in folders:
        if path in CATALOGUE:
            out.append({"kind": "verbose", "Message": f"watching {path}"})
        else:
            out.append({"kind": "warning", "Message": f"skipping {path}: no such folder"})
    n = sum(p in CATALOGUE for p in folders)
    status = f"watching {n} folder(s) until stopped"
    return out + [
        progress("Watching folders", None, status, -1, -1),
        # The client stopped the pipeline on that record: the Signal reached
        # the provider's cancel callback (MI_REASON_NONE), which let it end.
        {"kind": "warning", "Message": f"stopped watching {n} folder(s): cancel reason 0"},
        progress("Watching folders", None, status, -1, -1, "Completed"),
        {"kind": "state", "state": "Stopped", "reason": "The pipeline has been stopped."},
    ]


def expected(operation):
    name, _, rest = operation.partition(":")
    folders = rest.split(",") if rest else []
    return {
        "backup": lambda: expected_backup(folders),
        "list": expected_list,
        "fail": expected_fail,
        "watch": lambda: expected_watch(folders),
    }[name]()


OPERATIONS = [
    "backup:/srv/photos,/srv/music,/srv/docs",
    "list",
    "fail",
    "watch:/srv/docs,/srv/nothing",
    "backup:/srv/nothing,/srv/docs",
]


@pytest.mark.parametrize(
    "fragment_size, module",
    [(None, "wide"), (64, "wide"), (64, "utf8")],
    ids=["default-fragments", "64-byte-fragments", "64-byte-fragments-utf8-module"],
)
def test_every_record_and_object_arrives_with_every_field_in_order_several_pipelines_at_once(
    tmp_path, fragment_size, module
):
    events, wire = run_client(tmp_path, *OPERATIONS, fragment_size=fragment_size, module=module)
    runs = by_pipeline(events)
    assert sorted(runs) == sorted(f"{op}#{i}" for i, op in enumerate(OPERATIONS, 1))

    activity_ids = {}
    for label, got in runs.items():
        # ActivityId is the host's choice (the next free one of the pool):
        # one per operation, the same in all its records.
        ids = {e.pop("ActivityId") for e in got if e["kind"] == "progress"}
        assert len(ids) <= 1, (label, ids)
        if ids:
            activity_ids[label] = ids.pop()
        want = expected(label.split("#")[0])
        assert got == want, f"{label}:\n{json.dumps(got, indent=1)}\n!=\n{json.dumps(want, indent=1)}"
    assert len(activity_ids) == 3, activity_ids  # the two backups and the watch
    assert len(set(activity_ids.values())) == len(activity_ids), activity_ids

    # One connection, one counter: every message of the session (psrpcore's
    # and the provider's) has a unique ObjectId, increasing in wire order.
    object_ids = [o for o, _, _ in wire]
    assert object_ids == sorted(set(object_ids)), object_ids
    types = {t for _, t, _ in wire}
    assert {SESSION_CAPABILITY, RUNSPACEPOOL_STATE, PIPELINE_STATE} <= types, "psrpcore's"
    assert {PROGRESS_RECORD, WARNING_RECORD, VERBOSE_RECORD, ERROR_RECORD, PIPELINE_OUTPUT} <= types, "mi-psrp's"
    # Fragments went to their pipeline's PSGuid: each pipeline's records,
    # outputs and state under its id, the session's under the nil id.
    nil = "00000000-0000-0000-0000-000000000000"
    assert {p for _, t, p in wire if t in (SESSION_CAPABILITY, RUNSPACEPOOL_STATE)} == {nil}
    assert nil not in {p for _, t, p in wire if t in (PROGRESS_RECORD, PIPELINE_STATE, PIPELINE_OUTPUT)}
    assert len({p for _, t, p in wire if t == PIPELINE_STATE}) == len(OPERATIONS)
    # 3 + 1 + 1 objects: the backups' results and the catalogue.
    assert sum(t == PIPELINE_OUTPUT for _, t, _ in wire) == 5


def test_records_arrive_live(tmp_path):
    """The client stops "watch" when its first progress record arrives,
    while the provider is blocked waiting for that Stop: had records been
    held until the end, it would never stop (and the run would time out)."""
    events, _ = run_client(tmp_path, "watch:/srv/music", fragment_size=64)
    got = [{k: v for k, v in e.items() if k != "ActivityId"} for e in by_pipeline(events)["watch:/srv/music#1"]]
    assert got == expected_watch(["/srv/music"])


# A pypsrp session sending what the client never does: each command's
# events and final state, as JSON lines.
REFUSED = textwrap.dedent(
    """
    import json, sys
    import psrp
    from psrpcore.types import PSInvocationState

    server = [sys.argv[1], "--module", sys.argv[2]]
    commands = [
        ("Get-Process", {}),
        ("Invoke-CimMethod", {"ClassName": "Demo_Folder", "MethodName": "Backup",
                              "Arguments": {"Folders": ["/srv/docs"], "Nope": 1}}),
        ("Invoke-CimMethod", {"ClassName": "Demo_Folder", "MethodName": "Backup", "Arguments": {"Folders": 5}}),
        ("Invoke-CimMethod", {"ClassName": "Demo_Folder", "MethodName": "Restore"}),
        ("Get-CimInstance", {"ClassName": "Demo_Folder", "Filter": "x"}),
        ("Get-CimInstance", {"ClassName": "Demo_Folder", "Namespace": "root/demo", "KeyOnly": True}),
    ]
    with psrp.SyncRunspacePool(psrp.ProcessInfo(sys.executable, server)) as pool:
        for name, params in commands:
            ps = psrp.SyncPowerShell(pool)
            ps.add_command(name)
            for k, v in params.items():
                ps.add_parameter(k, v)
            out = ps.invoke()
            print(json.dumps({
                "command": name,
                "errors": [e.Exception.Message for e in ps.streams.error],
                "outputs": [[list(o.PSObject.type_names)[0], {p.name: p.get_value(o) for g in (o.PSObject.adapted_properties, o.PSObject.extended_properties) for p in g}] for o in out],
                "state": PSInvocationState(ps.state).name,
            }, default=str), flush=True)
    """
)


def test_commands_the_endpoint_does_not_run_end_with_an_error_record(tmp_path):
    script = tmp_path / "refused.py"
    script.write_text(REFUSED)
    proc = subprocess.run(
        [sys.executable, str(script), SERVER, MODULES["wide"]], capture_output=True, timeout=TIMEOUT, text=True
    )
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    got = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [g["state"] for g in got] == ["Completed"] * 6, got
    assert [g["errors"] for g in got[:5]] == [
        ["this endpoint runs Invoke-CimMethod and Get-CimInstance, not Get-Process"],
        ["Demo_Folder.Backup argument Nope: no such parameter"],
        ["Demo_Folder.Backup argument Folders: Folders is an array (MI_STRINGA): pass a list, not PSInt"],
        ["class Demo_Folder has no method Restore"],
        ["Get-CimInstance: this endpoint does not take -Filter"],
    ]
    assert all(not g["outputs"] for g in got[:5])
    # -Namespace and -KeyOnly reach the provider: keys only, in root/demo.
    keys = got[5]
    assert keys["errors"] == []
    assert [t for t, _ in keys["outputs"]] == [f"{CIM}CimInstance#root/demo/Demo_Folder"] * 3
    assert [p["Path"] for _, p in keys["outputs"]] == list(CATALOGUE)
    assert all(p["Size"] is None for _, p in keys["outputs"])


def test_a_module_that_does_not_load_fails_each_pipeline_with_the_reason(tmp_path):
    """The server keeps serving (pypsrp would hang on one that exits): each
    pipeline ends Completed with an error record naming the path and why."""
    missing = str(tmp_path / "libmissing.so")
    cmd = [sys.executable, CLIENT, "--json", "--module", missing, "list", "fail"]
    proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, text=True)
    assert proc.returncode == 1, f"{proc.stdout}\n{proc.stderr}"  # the client saw what is missing
    assert "missing: list#1: no instance" in proc.stderr
    for label, got in by_pipeline([json.loads(line) for line in proc.stdout.splitlines()]).items():
        (error,) = [e for e in got if e["kind"] == "error"]
        assert error["Message"].startswith(f"the endpoint's module did not load: cannot load {missing}: "), error
        assert "No such file" in error["Message"]
        assert got[-1] == {"kind": "state", "state": "Completed", "reason": None}, label
