"""Decode the PSRP fragments a real provider module produced through
mi-psrp (the xyz test module: Enumerate of XYZ_Widget, then the static
method Scan) with psrpcore's client, and check every output object's type
names, ToString and every value's Python type and value against what the
module's source (tests/c/modules/xyz/store.c, XYZ_Widget.c) sets.

Usage: psrpcore_modules.py STREAM.bin
Prints one line per mismatch and a closing "N passed, M failed"; exits 1 on
any mismatch.
"""

import datetime
import sys

import psrpcore

CHECKS = [0, 0]


def check(what, got, want):
    if got == want:
        CHECKS[0] += 1
    else:
        CHECKS[1] += 1
        print(f"MISMATCH {what}: got {got!r}, want {want!r}")


def kind(v):
    return type(v).__name__


def typed(what, v, type_name, value):
    check(f"{what} type", kind(v), type_name)
    check(f"{what} value", v, value)


CIM = "Deserialized.Microsoft.Management.Infrastructure.CimInstance"
UTC = datetime.timezone.utc


def tn(ns_classes, classes):
    return [f"{CIM}#root/xyz/{c}" for c in ns_classes] + [f"{CIM}#{c}" for c in classes] + [
        CIM,
        "Deserialized.System.Object",
    ]


def props(obj):
    return {p.name: p.get_value(obj) for p in obj.PSObject.adapted_properties}


def notes(obj):
    return {p.name: p.get_value(obj) for p in obj.PSObject.extended_properties}


def array(what, v, type_name, values, item_type):
    check(f"{what} array type", obj_types(v)[0] if obj_types(v) else None, type_name)
    check(f"{what} len", len(v), len(values))
    for i, (x, want) in enumerate(zip(v, values)):
        typed(f"{what}[{i}]", x, item_type, want)


def obj_types(v):
    try:
        return list(v.PSObject.type_names)
    except AttributeError:
        return []


def part(what, v, classes, name, weight, extra=None):
    check(f"{what} type names", obj_types(v), tn(classes, classes))
    p = props(v)
    typed(f"{what}.Name", p["Name"], "PSString", name)
    typed(f"{what}.Weight", p["Weight"], "PSUInt", weight)
    if extra is not None:
        typed(f"{what}.Extra", p["Extra"], "PSString", extra)
    check(f"{what}.PSComputerName", p["PSComputerName"], None)


def alpha(o):
    check("alpha type names", obj_types(o), tn(["XYZ_Widget", "XYZ_Base"], ["XYZ_Widget", "XYZ_Base"]))
    check("alpha ToString", o.PSObject.to_string, 'XYZ_Widget: Alpha & <Co> (Name = "alpha")')
    p = props(o)
    check("alpha property order", list(p)[:3], ["Name", "Enabled", "U8"])
    check("alpha PSComputerName last", list(p)[-1], "PSComputerName")
    typed("Name", p["Name"], "PSString", "alpha")
    typed("Enabled", p["Enabled"], "bool", True)
    typed("U8", p["U8"], "PSByte", 255)
    typed("S8", p["S8"], "PSSByte", -128)
    typed("U16", p["U16"], "PSUInt16", 65535)
    typed("S16", p["S16"], "PSInt16", -32768)
    typed("U32", p["U32"], "PSUInt", 4294967295)
    typed("S32", p["S32"], "PSInt", -2147483648)
    typed("U64", p["U64"], "PSUInt64", 18446744073709551615)
    typed("S64", p["S64"], "PSInt64", -9223372036854775808)
    typed("R32", p["R32"], "PSSingle", -1.5)
    typed("R64", p["R64"], "PSDouble", 3.141592653589793)
    typed("C16", p["C16"], "PSChar", 0xD800)
    # 2024-02-29 13:45:30.123456 at UTC+05:30 is 08:15:30.123456 UTC.
    typed("Stamp", p["Stamp"], "PSDateTime", datetime.datetime(2024, 2, 29, 8, 15, 30, 123456, tzinfo=UTC))
    typed("Text", p["Text"], "PSString", "a<b & c_x0041_ \U0001F600 caf\u00e9")
    part("Part", p["Part"], ["XYZ_Part"], "p1", 7)
    check("Owner type names", obj_types(p["Owner"]), tn(["XYZ_Base"], ["XYZ_Base"]))
    typed("Owner.Name", props(p["Owner"])["Name"], "PSString", "root")
    array("Flags", p["Flags"], "Deserialized.System.Boolean[]", [True, False, True], "bool")
    typed("U8s", p["U8s"], "PSByteArray", b"\x00\xff")
    array("S8s", p["S8s"], "Deserialized.System.SByte[]", [-1, 1], "PSSByte")
    array("U16s", p["U16s"], "Deserialized.System.UInt16[]", [0, 65535], "PSUInt16")
    array("S16s", p["S16s"], "Deserialized.System.Int16[]", [-32768, 32767], "PSInt16")
    array("U32s", p["U32s"], "Deserialized.System.UInt32[]", [0, 1, 4294967295], "PSUInt")
    check("S32s", [int(x) for x in p["S32s"]], [-1, 0, 1])
    array("U64s", p["U64s"], "Deserialized.System.UInt64[]", [0, 18446744073709551615], "PSUInt64")
    array(
        "S64s",
        p["S64s"],
        "Deserialized.System.Int64[]",
        [-9223372036854775808, 9223372036854775807],
        "PSInt64",
    )
    array("R32s", p["R32s"], "Deserialized.System.Single[]", [0.25, -0.5], "PSSingle")
    array("R64s", p["R64s"], "Deserialized.System.Double[]", [1e-300, -2.5], "PSDouble")
    array("C16s", p["C16s"], "Deserialized.System.Char[]", [0x41, 0xE9, 0xDC00], "PSChar")
    st = p["Stamps"]
    check("Stamps array type", obj_types(st)[0], "Deserialized.System.Object[]")
    typed("Stamps[0]", st[0], "PSDateTime", datetime.datetime(2000, 1, 1, 7, 59, 59, 999999, tzinfo=UTC))
    check("Stamps[1] type", kind(st[1]), "PSDuration")
    check(
        "Stamps[1] value",
        (st[1].days, st[1].seconds, st[1].microseconds),
        (1, 2 * 3600 + 3 * 60 + 4, 5),
    )
    array("Texts", p["Texts"], "Deserialized.System.String[]", ["one", "<two>", "\U0001F600"], "PSString")
    parts = p["Parts"]
    check("Parts array type", obj_types(parts)[0], f"{CIM}[]".replace("Deserialized.", "Deserialized."))
    part("Parts[0]", parts[0], ["XYZ_Part"], "p2", 1)
    check("Parts[1] type names", obj_types(parts[1]), tn(["XYZ_BigPart", "XYZ_Part"], ["XYZ_BigPart", "XYZ_Part"]))
    typed("Parts[1].Extra", props(parts[1])["Extra"], "PSString", "big")
    owners = p["Owners"]
    check("Owners[0].Name", props(owners[0])["Name"], "root")
    check(
        "Owners[1] type names",
        obj_types(owners[1]),
        tn(["XYZ_Widget", "XYZ_Base"], ["XYZ_Widget", "XYZ_Base"]),
    )
    check("Owners[1].Name", props(owners[1])["Name"], "beta")
    typed("Caption", p["Caption"], "PSString", "Alpha & <Co>")
    check("PSComputerName", p["PSComputerName"], None)


def beta(o):
    p = props(o)
    typed("beta.Name", p["Name"], "PSString", "beta")
    typed("beta.Enabled", p["Enabled"], "bool", False)
    check("beta.S8 (never set)", p["S8"], None)
    typed("beta.Text (empty)", p["Text"], "PSString", "")
    check("beta.Stamp type", kind(p["Stamp"]), "PSDuration")
    check("beta.Stamp days", p["Stamp"].days, 12345)
    part("beta.Part", p["Part"], ["XYZ_BigPart", "XYZ_Part"], "p4", 4, "\U00010348")
    check("beta.Flags (empty)", len(p["Flags"]), 0)
    check("beta.S64s (null)", p["S64s"], None)
    check("beta.Owners (cleared)", p["Owners"], None)
    check("beta.Texts", list(p["Texts"]), [""])


def scan(outputs):
    check("scan outputs", len(outputs), 3)
    for i, o in enumerate(outputs[:2]):
        check(
            f"streamed[{i}] type names",
            obj_types(o),
            [
                "Deserialized.Microsoft.Management.Infrastructure.CimMethodStreamedResult#XYZ_Widget#Scan",
                "Deserialized.Microsoft.Management.Infrastructure.CimMethodStreamedResult",
                "Deserialized.System.Management.Automation.PSCustomObject",
                "Deserialized.System.Object",
            ],
        )
        n = notes(o)
        typed(f"streamed[{i}].ParameterName", n["ParameterName"], "PSString", "Found")
        check(f"streamed[{i}].ItemType", int(n["ItemType"]), 14)
        typed(f"streamed[{i}].ItemValue", n["ItemValue"], "PSString", f"w-{i + 1}")
    r = outputs[2]
    check("result type names", obj_types(r)[0], "Deserialized.Microsoft.Management.Infrastructure.CimMethodResult#XYZ_Widget#Scan")
    n = notes(r)
    check("result notes", list(n), ["Count", "ReturnValue", "PSComputerName"])
    typed("result.Count", n["Count"], "PSUInt", 2)
    typed("result.ReturnValue", n["ReturnValue"], "PSUInt", 0)


def main():
    with open(sys.argv[1], "rb") as f:
        stream = f.read()
    client = psrpcore.ClientRunspacePool()
    client.receive_data(psrpcore.PSRPPayload(stream, psrpcore.StreamType.default, None))
    outputs = []
    while True:
        event = client.next_event()
        if event is None:
            break
        if isinstance(event, psrpcore.PipelineOutputEvent):
            outputs.append(event.data)
    check("outputs", len(outputs), 5)
    if len(outputs) == 5:
        alpha(outputs[0])
        beta(outputs[1])
        scan(outputs[2:])
    print(f"{CHECKS[0]} passed, {CHECKS[1]} failed")
    sys.exit(1 if CHECKS[1] else 0)


if __name__ == "__main__":
    main()
