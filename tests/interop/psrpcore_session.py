"""Compare `mi-psrp decode`'s reading of a whole PSRP session stream (any
message type, either direction) with psrpcore's.

Usage: psrpcore_session.py STREAM.bin DECODED.jsonl

psrpcore unpacks the fragments and messages (unpack_fragment, unpack_message)
and deserializes each message's CLIXML as its client or server would
(psrpcore.types.deserialize, then PSRPEvent.create for the typed objects).
For each message the envelope is compared (ObjectId, destination, message
type, runspace pool and pipeline ids); then the record: the fields of
progress, warning/verbose/debug and error records, a state's number, a host
call's id, method and arguments (and a WriteProgress call's record), and for
every other message the generic value, member by member: strings, integers
and booleans compared exactly, objects by their properties, lists by their
items, dictionaries by their entries, enumerations by their number and
<ToString>. Values psrpcore turns into other Python types (datetimes,
versions, secure strings) are counted as skipped.

Prints one line per mismatch and a closing "N compared, M skipped, K
failed"; exits 1 on any mismatch.
"""

import enum
import json
import sys
import uuid
from xml.etree import ElementTree

from psrpcore._payload import unpack_fragment, unpack_message
from psrpcore.types import PSObject, PSRPMessageType, deserialize
from psrpcore._events import PSRPEvent

compared = skipped = failed = 0


def check(ok, what):
    global compared, failed
    compared += 1
    if not ok:
        failed += 1
        print("MISMATCH", what)


def units(s):
    b = s.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(b[i : i + 2], "little") for i in range(0, len(b), 2)]


def same_str(ours, theirs):
    # Our JSON escapes lone surrogates as \\uXXXX, which json.loads keeps.
    return isinstance(ours, str) and units(ours) == units(str(theirs))


def compare(ours, theirs, path):
    """Our generic JSON value against psrpcore's deserialized one."""
    global skipped
    if ours is None:
        check(theirs is None, f"{path}: null vs {theirs!r}")
    elif isinstance(ours, bool):
        check(isinstance(theirs, bool) and ours == theirs, f"{path}: {ours} vs {theirs!r}")
    elif isinstance(ours, int):
        check(isinstance(theirs, int) and int(theirs) == ours, f"{path}: {ours} vs {theirs!r}")
    elif isinstance(ours, str):
        if isinstance(theirs, str):
            check(same_str(ours, theirs), f"{path}: {ours!r} vs {theirs!r}")
        else:
            skipped += 1  # a DateTime, Version, SecureString … kept as text by us
    elif isinstance(ours, dict) and "Ref" in ours:
        skipped += 1
    elif isinstance(ours, dict):
        if "TypeNames" in ours and isinstance(theirs, PSObject):
            names = list(theirs.PSObject.type_names)
            # psrpcore marks a type it did not rehydrate as "Deserialized.".
            stripped = [n[len("Deserialized."):] if n.startswith("Deserialized.") else n for n in names]
            check(ours["TypeNames"] in (names, stripped), f"{path}: TypeNames {ours['TypeNames']} vs {names}")
        if "ToString" in ours and isinstance(theirs, enum.Enum):
            # psrpcore's own to_string of a flags enumeration is stale
            # ('None'); its member's name is what the wire's <ToString> says
            # (psrpcore spells the zero member 'none').
            check(ours["ToString"].lower() == theirs.name.lower(), f"{path}: ToString {ours['ToString']!r} vs {theirs.name}")
        elif "ToString" in ours and isinstance(theirs, PSObject) and theirs.PSObject.to_string is not None:
            check(same_str(ours["ToString"], theirs.PSObject.to_string), f"{path}: ToString {ours['ToString']!r}")
        if "Value" in ours:
            compare(ours["Value"], int(theirs) if isinstance(ours["Value"], int) else theirs, path + ".Value")
        for name, value in ours.get("Properties", {}).items():
            try:
                theirs_value = theirs[name] if isinstance(theirs, dict) else getattr(theirs, name)
            except (AttributeError, KeyError):
                if type(theirs) is not PSObject:
                    # psrpcore rebuilt the object as its own class (an
                    # ErrorRecord sent as output, say), which keeps only
                    # the members that class has.
                    skipped += 1
                else:
                    check(False, f"{path}.{name}: psrpcore has no such property")
                continue
            compare(value, theirs_value, f"{path}.{name}")
        if "Items" in ours:
            items = list(theirs)
            check(len(items) == len(ours["Items"]), f"{path}: {len(ours['Items'])} items vs {len(items)}")
            for i, (a, b) in enumerate(zip(ours["Items"], items)):
                compare(a, b, f"{path}[{i}]")
        if "Entries" in ours:
            entries = list(theirs.items())
            check(len(entries) == len(ours["Entries"]), f"{path}: {len(ours['Entries'])} entries vs {len(entries)}")
            for i, (e, (k, v)) in enumerate(zip(ours["Entries"], entries)):
                compare(e["Key"], k, f"{path}{{{i}}}.Key")
                compare(e["Value"], v, f"{path}{{{i}}}.Value")
    else:
        check(False, f"{path}: unexpected JSON {ours!r}")


def progress(ours, rec, path):
    for field in ("Activity", "StatusDescription"):
        check(same_str(ours[field], getattr(rec, field)), f"{path}.{field}")
    cur = rec.CurrentOperation
    check(ours["CurrentOperation"] is None if cur is None else same_str(ours["CurrentOperation"], cur), f"{path}.CurrentOperation")
    for field in ("ActivityId", "ParentActivityId", "PercentComplete", "SecondsRemaining"):
        check(ours[field] == int(getattr(rec, field)), f"{path}.{field}")
    kind = getattr(rec, "RecordType", None)
    if kind is None:
        kind = rec.Type
    check(ours["Type"] == kind.name, f"{path}.Type {kind!r}")


def error(ours, rec, path):
    exc = rec.Exception
    check(same_str(ours["Exception"]["Message"], exc.Message), f"{path} Exception.Message")
    check(same_str(ours["FullyQualifiedErrorId"], rec.FullyQualifiedErrorId), f"{path} FQEID")
    info = rec.CategoryInfo
    check(ours["ErrorCategory_Category"] == int(info.Category), f"{path} Category")
    for field in ("Activity", "Reason", "TargetName", "TargetType"):
        theirs = getattr(info, field)
        mine = ours["ErrorCategory_" + field]
        check((mine or "") == (theirs or ""), f"{path} {field} {mine!r} vs {theirs!r}")


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    with open(sys.argv[2]) as f:
        lines = [json.loads(line) for line in f if line.strip()]

    buffers = {}
    messages = []
    at = 0
    while at < len(data):
        frag = unpack_fragment(bytearray(data[at:]))
        at += 21 + len(frag.data)
        buffers.setdefault(frag.object_id, bytearray()).extend(frag.data)
        if frag.end:
            messages.append((frag.object_id, unpack_message(buffers.pop(frag.object_id))))

    check(len(lines) == len(messages), f"{len(lines)} lines, psrpcore reads {len(messages)} messages")
    for i, ((object_id, msg), ours) in enumerate(zip(messages, lines)):
        where = f"#{i} {msg.message_type.name}"
        check(ours["object_id"] == object_id, f"{where} object_id")
        check(ours["destination"] == msg.destination, f"{where} destination")
        check(int(ours["message_type"], 16) == int(msg.message_type), f"{where} message_type")
        check(uuid.UUID(ours["runspace_pool_id"]) == msg.rpid, f"{where} rpid")
        check(uuid.UUID(ours["pipeline_id"]) == (msg.pid or uuid.UUID(int=0)), f"{where} pid")
        check(ours["kind"] != "unknown", f"{where} kind")

        if msg.message_type == PSRPMessageType.EndOfPipelineInput or not msg.data.strip():
            check(ours["record"] is None, f"{where} record of no data")
            continue
        obj = deserialize(ElementTree.fromstring(msg.data), cipher=None)
        event = PSRPEvent.create(msg.message_type, obj, msg.rpid, msg.pid)
        rec = ours["record"]
        t = msg.message_type
        if t == PSRPMessageType.ProgressRecord:
            progress(rec, event.record, where)
        elif t in (PSRPMessageType.WarningRecord, PSRPMessageType.VerboseRecord, PSRPMessageType.DebugRecord):
            check(same_str(rec["Message"], event.record.Message), f"{where} Message")
        elif t == PSRPMessageType.ErrorRecord:
            error(rec, event.record, where)
        elif t in (PSRPMessageType.RunspacePoolState, PSRPMessageType.PipelineState):
            check(rec["State"] == int(event.state), f"{where} State {rec['State']} vs {event.state!r}")
            check(rec["Name"] == event.state.name, f"{where} state name {rec['Name']} vs {event.state.name}")
            theirs_error = getattr(obj, "ExceptionAsErrorRecord", None)
            check((rec["Error"] is None) == (theirs_error is None), f"{where} Error")
            if theirs_error is not None and rec["Error"] is not None:
                error(rec["Error"], theirs_error, where)
        elif t in (PSRPMessageType.PipelineHostCall, PSRPMessageType.RunspacePoolHostCall):
            check(rec["CallId"] == int(obj.ci), f"{where} ci")
            check(rec["MethodId"] == int(obj.mi), f"{where} mi")
            check(rec["Method"] == obj.mi.name, f"{where} method {rec['Method']} vs {obj.mi.name}")
            args = list(obj.mp) if obj.mp is not None else []
            check(len(rec["Arguments"]) == len(args), f"{where} {len(rec['Arguments'])} arguments vs {len(args)}")
            for j, (a, b) in enumerate(zip(rec["Arguments"], args)):
                compare(a, b, f"{where} mp[{j}]")
            if obj.mi.name == "WriteProgress":
                progress(rec["Progress"], event.method_parameters[1], where + " WriteProgress")
        else:
            compare(rec, obj, where)

    print(f"{compared} compared, {skipped} skipped, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
