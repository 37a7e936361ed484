#!/usr/bin/env python3
"""Runs pipelines against the example endpoint (examples/psrp_server.py) with
pypsrp, a PowerShell remoting client nobody here wrote, and prints every
record as it arrives.

pypsrp's ``ProcessInfo`` starts the server and speaks OutOfProc over its
stdin/stdout, as it would with ``pwsh -ServerMode``. All the pipelines given
run at once on one runspace pool; each is an operation of the demo provider:

    copy:N   N files: progress, verbose, debug, output; a warning, an error
    fail     progress, output, then the provider's PostError
    wait     progress, output, then waits; this client stops it (Signal) as
             soon as its first output arrives, which cancels the provider

    python3 examples/pypsrp_client.py --provider build/libdemo_provider.so copy:3 fail wait

Each line printed is one event, in the order pypsrp delivered it; ``--json``
prints one JSON object per line instead (what the tests read). pypsrp has no
timeouts: run this under one of your own (the tests do).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from typing import Any

import psrp
from psrpcore.types import PSInvocationState

HERE = os.path.dirname(os.path.abspath(__file__))

KINDS = ("progress", "warning", "verbose", "debug", "error", "information")


def describe(kind: str, record: Any) -> dict:
    """The fields of one record as plain JSON values."""
    if kind == "output":
        return {"value": record}
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


class Run:
    """One pipeline and the events it received, in arrival order."""

    def __init__(self, pool: psrp.SyncRunspacePool, operation: str, index: int, emit):
        self.label = f"{operation}#{index}"
        name, _, count = operation.partition(":")
        self.ps = psrp.SyncPowerShell(pool)
        self.ps.add_command(name)
        if count:
            self.ps.add_parameter("Count", int(count))
        self.stop_on_output = name == "wait"
        self._emit = emit
        self._stopping = None
        for kind in KINDS:
            getattr(self.ps.streams, kind).data_added += lambda record, kind=kind: self._on(kind, record)
        self.output = psrp.SyncPSDataCollection()
        self.output.data_added += lambda value: self._on("output", value)

    def _on(self, kind: str, record: Any) -> None:
        self._emit(self.label, kind, describe(kind, record))
        if kind == "output" and self.stop_on_output and self._stopping is None:
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
        self._emit(self.label, "state", {"state": PSInvocationState(self.ps.state).name, "reason": reason})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("operations", nargs="+", help="copy:N, fail or wait, run at once; labelled OPERATION#n")
    parser.add_argument("--provider", default=os.path.join(HERE, "build", "libdemo_provider.so"))
    parser.add_argument("--fragment-size", type=int, help="the server's PSRP fragment size")
    parser.add_argument("--server-log", help="the server's debug log file")
    parser.add_argument("--server-wire-log", help="the server's list of messages sent (ObjectId, type, pipeline)")
    parser.add_argument("--json", action="store_true", help="one JSON object per event")
    args = parser.parse_args()

    lock = threading.Lock()

    def emit(label: str, kind: str, fields: dict) -> None:
        with lock:
            if args.json:
                print(json.dumps({"pipeline": label, "kind": kind, **fields}), flush=True)
            else:
                text = " ".join(f"{k}={v!r}" for k, v in fields.items())
                print(f"[{label}] {kind:8} {text}", flush=True)

    server = [os.path.join(HERE, "psrp_server.py"), "--provider", args.provider]
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
