"""Decode a PSRP fragment stream with psrpcore's client and compare every
progress record with what the Rust test expected.

Usage: psrpcore_check.py STREAM.bin EXPECTED.json

EXPECTED.json is a list of records; strings are lists of UTF-16 code units
(so that lone surrogates survive JSON), CurrentOperation may be null.
Prints one line per mismatch and a closing "N passed, M failed"; exits 1 on
any mismatch.
"""

import json
import sys
import uuid

import psrpcore
from psrpcore.types import ProgressRecordType


def units(s):
    """A str as UTF-16 code units; psrpcore may give surrogate pairs as two chars."""
    if s is None:
        return None
    b = s.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(b[i : i + 2], "little") for i in range(0, len(b), 2)]


def main():
    stream_path, expected_path = sys.argv[1], sys.argv[2]
    with open(stream_path, "rb") as f:
        stream = f.read()
    with open(expected_path) as f:
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
        check(type(event).__name__ == "ProgressRecordEvent", f"#{i} is {type(event).__name__}")
        check(event.runspace_pool_id == uuid.UUID(exp["rpid"]), f"#{i} rpid {event.runspace_pool_id}")
        check(event.pipeline_id == uuid.UUID(exp["pid"]), f"#{i} pid {event.pipeline_id}")
        for field in ("Activity", "StatusDescription", "CurrentOperation"):
            got = units(getattr(rec, field))
            check(got == exp[field], f"#{i} {field}: {got!r} != {exp[field]!r}")
        for field in ("ActivityId", "ParentActivityId", "PercentComplete", "SecondsRemaining"):
            got = getattr(rec, field)
            check(got == exp[field], f"#{i} {field}: {got!r} != {exp[field]!r}")
        want_type = ProgressRecordType.Completed if exp["Type"] == "Completed" else ProgressRecordType.Processing
        check(rec.RecordType == want_type, f"#{i} Type: {rec.RecordType!r}")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
