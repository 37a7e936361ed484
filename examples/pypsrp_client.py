#!/usr/bin/env python3
"""Runs pipelines against the example endpoint (examples/psrp_server.py
hosting the Demo_Folder sample module) with pypsrp, a PowerShell remoting
client nobody here wrote, prints every record and output object as it
arrives, and checks that each pipeline got what its operation promises.

pypsrp's ``ProcessInfo`` starts the server and speaks OutOfProc over its
stdin/stdout, as it would with ``pwsh -ServerMode``. All the pipelines given
run at once on one runspace pool; each is an operation of the module,
written as PowerShell's CIM cmdlets would send it:

    backup:P1,P2,...   Invoke-CimMethod -ClassName Demo_Folder -MethodName Backup
                       -Arguments @{Folders = P1, P2, ...}: progress, a verbose
                       message per folder copied, a warning per folder the
                       module does not know, then a CimMethodResult (Copied,
                       Results: a Demo_Folder per folder copied, ReturnValue:
                       the folders skipped)
    list               Get-CimInstance -ClassName Demo_Folder: a CimInstance per folder
    fail               Backup with no Folders: the provider's PostError, an
                       error record; the pipeline Completed
    watch:P1,...       Invoke-CimMethod ... -MethodName Watch: progress, then it
                       waits; this client stops it (Signal) as soon as its first
                       progress record arrives, which reaches the provider's
                       cancel callback; the pipeline Stopped

    python3 examples/pypsrp_client.py --module examples/build/libdemo_module.so \\
        backup:/srv/photos,/srv/music,/srv/docs list fail watch:/srv/docs

Each line printed is one event, in the order pypsrp delivered it; ``--json``
prints one JSON object per line instead (what the tests read). The exit
status is 1 when a pipeline missed something its operation promises (each
problem is printed to stderr), 0 otherwise. pypsrp has no timeouts: run this
under one of your own (the tests do).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import threading
from typing import Any

import psrp
from psrpcore.types import PSInvocationState

HERE = os.path.dirname(os.path.abspath(__file__))

KINDS = ("progress", "warning", "verbose", "debug", "error", "information")
CLASS = "Demo_Folder"
CIM = "Deserialized.Microsoft.Management.Infrastructure."


def plain(value: Any) -> Any:
    """A deserialized value as plain JSON values: a CIM object becomes
    ``{"TypeNames": [...], "ToString": ..., "Properties": {...}}``."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    ps = getattr(value, "PSObject", None)
    if ps is not None:
        properties = {}
        for group in (ps.adapted_properties, ps.extended_properties):
            for p in group:
                properties[p.name] = plain(p.get_value(value))
        return {"TypeNames": list(ps.type_names), "ToString": ps.to_string, "Properties": properties}
    return str(value)


def describe(kind: str, record: Any) -> dict:
    """The fields of one record or output object as plain JSON values."""
    if kind == "output":
        return plain(record) if getattr(record, "PSObject", None) is not None else {"value": plain(record)}
    if kind == "progress":
        return {
            "Activity": record.Activity,
            "ActivityId": record.ActivityId,
            "StatusDescription": record.StatusDescription,
            "CurrentOperation": record.CurrentOperation,
            "ParentActivityId": record.ParentActivityId,
            "PercentComplete": record.PercentComplete,
            "SecondsRemaining": record.SecondsRemaining,
            "RecordType": record.RecordType.name,
        }
    if kind == "error":
        info = record.CategoryInfo
        return {
            "Message": record.Exception.Message,
            "ExceptionType": record.Exception.PSTypeNames[0],
            "FullyQualifiedErrorId": record.FullyQualifiedErrorId,
            "Category": int(info.Category),
            "Reason": info.Reason,
            "Activity": info.Activity,
            "TargetName": info.TargetName,
            "TargetType": info.TargetType,
            "TargetObject": record.TargetObject,
        }
    return {"Message": record.Message}


def short(value: Any) -> str:
    """A plain value as one line: CIM objects as ``Class(Name=value, ...)``."""
    if isinstance(value, dict) and "TypeNames" in value:
        name = value["TypeNames"][0].removeprefix(CIM).split("#")[-1].split("/")[-1]
        props = ", ".join(f"{k}={short(v)}" for k, v in value["Properties"].items() if k != "PSComputerName")
        return f"{name}({props})"
    if isinstance(value, list):
        return "[" + ", ".join(short(v) for v in value) + "]"
    return repr(value)


def show(kind: str, fields: dict) -> str:
    if kind == "output" and "TypeNames" in fields:
        type_name = fields["TypeNames"][0].removeprefix(CIM)
        props = " ".join(f"{k}={short(v)}" for k, v in fields["Properties"].items() if k != "PSComputerName")
        return f"{type_name} {props}"
    return " ".join(f"{k}={v!r}" for k, v in fields.items())


def parse(operation: str) -> tuple[str, list[str]]:
    """``backup:P1,P2`` → ("backup", ["P1", "P2"])."""
    name, _, rest = operation.partition(":")
    if name not in ("backup", "list", "fail", "watch"):
        raise argparse.ArgumentTypeError(f"unknown operation {operation!r}: backup:P1,..., list, fail or watch:P1,...")
    folders = [f for f in rest.split(",") if f] if rest else []
    if name in ("backup", "watch") and not folders:
        raise argparse.ArgumentTypeError(f"{name} needs folders: {name}:P1,P2,...")
    return name, folders


class Run:
    """One pipeline and the events it received, in arrival order."""

    def __init__(self, pool: psrp.SyncRunspacePool, operation: str, index: int, emit):
        self.label = f"{operation}#{index}"
        self.name, self.folders = parse(operation)
        self.ps = psrp.SyncPowerShell(pool)
        if self.name == "list":
            self.ps.add_command("Get-CimInstance")
            self.ps.add_parameter("ClassName", CLASS)
        else:
            self.ps.add_command("Invoke-CimMethod")
            self.ps.add_parameter("ClassName", CLASS)
            self.ps.add_parameter("MethodName", "Watch" if self.name == "watch" else "Backup")
            self.ps.add_parameter("Arguments", {"Folders": self.folders} if self.folders else {})
        self.stop_on_progress = self.name == "watch"
        self.events: list[tuple[str, dict]] = []
        self._emit = emit
        self._stopping = None
        for kind in KINDS:
            getattr(self.ps.streams, kind).data_added += lambda record, kind=kind: self._on(kind, record)
        self.output = psrp.SyncPSDataCollection()
        self.output.data_added += lambda value: self._on("output", value)

    def _on(self, kind: str, record: Any) -> None:
        fields = describe(kind, record)
        self.events.append((kind, fields))
        self._emit(self.label, kind, fields)
        if kind == "progress" and self.stop_on_progress and self._stopping is None:
            # Called on pypsrp's reader thread: stop_async signals from a
            # thread of its own.
            self._stopping = self.ps.stop_async()

    def start(self):
        return self.ps.invoke_async(output_stream=self.output)

    def finish(self, task) -> None:
        reason = None
        try:
            task.wait()
        except (psrp.PipelineStopped, psrp.PipelineFailed) as e:
            reason = str(e)
        if self._stopping is not None:
            self._stopping.wait()
        fields = {"state": PSInvocationState(self.ps.state).name, "reason": reason}
        self.events.append(("state", fields))
        self._emit(self.label, "state", fields)

    def problems(self) -> list[str]:
        """What this pipeline's operation promises and did not get."""
        got: dict[str, list[dict]] = {}
        for kind, fields in self.events:
            got.setdefault(kind, []).append(fields)
        outputs, errors, warnings = got.get("output", []), got.get("error", []), got.get("warning", [])
        state = got.get("state", [{}])[-1].get("state")
        out = []

        def need(ok: bool, what: str) -> None:
            if not ok:
                out.append(f"{self.label}: {what}")

        if self.name == "backup":
            need(state == "Completed", f"state {state}, expected Completed")
            need(not errors, f"error records {errors}")
            need(bool(got.get("progress")), "no progress record")
            need(len(outputs) == 1, f"{len(outputs)} output objects, expected the method's result")
            if len(outputs) == 1:
                result = outputs[0]
                props = result.get("Properties", {})
                copied = [v for v in got.get("verbose", []) if v["Message"].startswith("backed up ")]
                need(
                    result.get("TypeNames", [""])[0] == f"{CIM}CimMethodResult#{CLASS}#Backup",
                    f"output {result.get('TypeNames')}",
                )
                need(props.get("Copied") == len(copied), f"Copied {props.get('Copied')}, {len(copied)} backed up")
                need(len(props.get("Results") or []) == len(copied), "a Result per folder backed up")
                need(props.get("ReturnValue") == len(warnings), f"ReturnValue {props.get('ReturnValue')}")
                need(len(copied) + len(warnings) == len(self.folders), "a verbose or warning line per folder")
        elif self.name == "list":
            need(state == "Completed", f"state {state}, expected Completed")
            need(not errors, f"error records {errors}")
            need(bool(outputs), "no instance")
            for o in outputs:
                need(
                    o.get("TypeNames", [""])[0].startswith(f"{CIM}CimInstance#") and o["TypeNames"][0].endswith(f"/{CLASS}"),
                    f"output {o.get('TypeNames')}",
                )
                need(bool(o.get("Properties", {}).get("Path")), f"an instance without its Path: {o}")
        elif self.name == "fail":
            need(state == "Completed", f"state {state}, expected Completed (the error record delivered)")
            need(len(errors) == 1, f"{len(errors)} error records, expected the provider's one")
            need(not outputs, f"output objects {outputs}")
        elif self.name == "watch":
            need(state == "Stopped", f"state {state}, expected Stopped")
            need(
                any(w["Message"].startswith("stopped watching") for w in warnings),
                "no warning from the provider's cancel callback",
            )
        return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    parser.add_argument(
        "operations", nargs="+", help="backup:P1,..., list, fail or watch:P1,..., run at once; labelled OPERATION#n"
    )
    parser.add_argument("--module", default=os.path.join(HERE, "build", "libdemo_module.so"), help="the provider module")
    parser.add_argument("--fragment-size", type=int, help="the server's PSRP fragment size")
    parser.add_argument("--server-log", help="the server's debug log file")
    parser.add_argument("--server-wire-log", help="the server's list of messages sent (ObjectId, type, pipeline)")
    parser.add_argument("--json", action="store_true", help="one JSON object per event")
    args = parser.parse_args()
    for operation in args.operations:
        try:
            parse(operation)
        except argparse.ArgumentTypeError as e:
            parser.error(str(e))

    lock = threading.Lock()

    def emit(label: str, kind: str, fields: dict) -> None:
        with lock:
            if args.json:
                print(json.dumps({"pipeline": label, "kind": kind, **fields}), flush=True)
            else:
                print(f"[{label}] {kind:8} {show(kind, fields)}", flush=True)

    server = [os.path.join(HERE, "psrp_server.py"), "--module", args.module]
    if args.fragment_size:
        server += ["--fragment-size", str(args.fragment_size)]
    if args.server_log:
        server += ["--log", args.server_log]
    if args.server_wire_log:
        server += ["--wire-log", args.server_wire_log]

    with psrp.SyncRunspacePool(psrp.ProcessInfo(sys.executable, server)) as pool:
        runs = [Run(pool, operation, i, emit) for i, operation in enumerate(args.operations, 1)]
        tasks = [run.start() for run in runs]
        for run, task in zip(runs, tasks):
            run.finish(task)
    problems = [p for run in runs for p in run.problems()]
    for p in problems:
        print(f"missing: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
