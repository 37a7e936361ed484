"""Decode a PSRP fragment stream of warning/verbose/debug/error records with
psrpcore's client, and compare every field with what the Rust test expected.

Usage: psrpcore_streams.py STREAM.bin EXPECTED.json

EXPECTED.json is a list of records: {"kind": "warning"|"verbose"|"debug"|
"error", "pid", "Message": UTF-16 units, and for errors "FullyQualifiedErrorId",
"Category", "Reason", "ExceptionType"}. Prints one line per mismatch and a
closing "N passed, M failed"; exits 1 on any mismatch.
"""

import json
import sys
import uuid

import psrpcore

EVENTS = {
    "warning": "WarningRecordEvent",
    "verbose": "VerboseRecordEvent",
    "debug": "DebugRecordEvent",
    "error": "ErrorRecordEvent",
}


def units(s):
    """A str as UTF-16 code units (lone surrogates kept)."""
    if s is None:
        return None
    b = s.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(b[i : i + 2], "little") for i in range(0, len(b), 2)]


def main():
    with open(sys.argv[1], "rb") as f:
        stream = f.read()
    with open(sys.argv[2]) as f:
        expected = json.load(f)

    client = psrpcore.ClientRunspacePool()
    client.receive_data(psrpcore.PSRPPayload(stream, psrpcore.StreamType.default, None))
    events = []
    while True:
        event = client.next_event()
        if event is None:
            break
        events.append(event)

    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("MISMATCH", what)

    check(len(events) == len(expected), f"{len(events)} events, expected {len(expected)}")
    for i, (event, exp) in enumerate(zip(events, expected)):
        rec = event.record
        check(type(event).__name__ == EVENTS[exp["kind"]], f"#{i} is {type(event).__name__}")
        check(event.pipeline_id == uuid.UUID(exp["pid"]), f"#{i} pid {event.pipeline_id}")
        if exp["kind"] == "error":
            exc = rec.Exception
            check(units(exc.Message) == exp["Message"], f"#{i} Exception.Message {exc.Message!r}")
            # psrpcore marks a type it rebuilt from CLIXML as "Deserialized.".
            check(exc.PSTypeNames[0] == "Deserialized." + exp["ExceptionType"], f"#{i} exception type {exc.PSTypeNames!r}")
            check(rec.FullyQualifiedErrorId == exp["FullyQualifiedErrorId"], f"#{i} FQEID {rec.FullyQualifiedErrorId!r}")
            info = rec.CategoryInfo
            check(int(info.Category) == exp["Category"], f"#{i} Category {info.Category!r}")
            check(info.Reason == exp["Reason"], f"#{i} Reason {info.Reason!r}")
            for field in ("Activity", "TargetName", "TargetType"):
                check(getattr(info, field) == "", f"#{i} {field} {getattr(info, field)!r}")
            check(rec.TargetObject is None, f"#{i} TargetObject {rec.TargetObject!r}")
            check(rec.InvocationInfo is None, f"#{i} InvocationInfo {rec.InvocationInfo!r}")
        else:
            check(units(rec.Message) == exp["Message"], f"#{i} Message {rec.Message!r}")
            check(rec.InvocationInfo is None, f"#{i} InvocationInfo {rec.InvocationInfo!r}")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
