"""psrpcore serializing the benchmark's 20-property instance (issue 15 §6),
to compare with `cargo bench --bench modules` (docs/performance.md).

The object is what mi-psrp sends for item 1 of the benchmark module
(benches/module/, class Bench_Item): a PSObject with the CimInstance type
names, its ToString, and 21 adapted properties of the same .NET types
(8 + 1 strings, Byte, Int16, UInt16, UInt32, Int32, UInt32, UInt64, Int64,
DateTime, Double, a System.String[] of four, PSComputerName Nil).
psrpcore 0.3.1 writes the same CLIXML as mi-psrp but for two orders:
<ToString> after <Props> (mi-psrp: before, as PowerShell), and RefId before
N on a named <Obj>; same length, same elements, same text. `--check FILE`
verifies that against the Rust bench's `MODULES_PROFILE=dump` output.

Timed with timeit, median of REPEATS repeats of NUMBER objects, in µs per object:

  build       the object made: the PSType class instantiated with its 21
              property values and its ToString set (what a psrpcore server
              does per object, as the provider's Construct + 20 Sets);
  serialize   psrpcore.types.serialize(obj) to an Element, then
              ElementTree.tostring(..., encoding="utf-8") -- exactly what
              psrpcore's prepare_message does (the core's write_output_clixml);
  fragment    the message around it and its fragment: create_message, a
              PSRPMessage, .fragment() and create_fragment -- what
              prepare_message and data_to_send do after serializing;
  total       the three in one statement.

Usage: .venv/bin/python benches/psrpcore_cim.py [--quick] [--dump] [--check FILE]
"""

import argparse
import datetime
import importlib.metadata
import statistics
import sys
import timeit
import uuid
import xml.etree.ElementTree as ElementTree

from psrpcore._payload import PSRPMessage, create_fragment, create_message
from psrpcore.types import (
    PSByte,
    PSDateTime,
    PSDouble,
    PSInt,
    PSInt16,
    PSInt64,
    PSListBase,
    PSNoteProperty,
    PSObject,
    PSRPMessageType,
    PSString,
    PSType,
    PSUInt,
    PSUInt16,
    PSUInt64,
    serialize,
)

RPID = uuid.UUID("626c4f6f-3c6b-7e4a-9c1d-1234567890ab")
PID = uuid.UUID("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
FRAGMENT_SIZE = 32_768

PROPERTIES = [
    ("Name", PSString),
    ("Caption", PSString),
    ("Description", PSString),
    ("Path", PSString),
    ("Owner", PSString),
    ("Status", PSString),
    ("Version", PSString),
    ("Vendor", PSString),
    ("Hash", PSString),
    ("Priority", PSByte),
    ("Offset", PSInt16),
    ("Port", PSUInt16),
    ("Items", PSUInt),
    ("Delta", PSInt),
    ("Flags", PSUInt),
    ("Size", PSUInt64),
    ("Balance", PSInt64),
    ("Modified", PSDateTime),
    ("Ratio", PSDouble),
    ("Tags", None),
]


@PSType(
    [
        "Microsoft.Management.Infrastructure.CimInstance#root/bench/Bench_Item",
        "Microsoft.Management.Infrastructure.CimInstance#Bench_Item",
        "Microsoft.Management.Infrastructure.CimInstance",
        "System.Object",
    ],
    adapted_properties=[PSNoteProperty(n, ps_type=t) for n, t in PROPERTIES] + [PSNoteProperty("PSComputerName")],
    skip_inheritance=True,
)
class BenchItem(PSObject):
    pass


@PSType(["System.String[]", "System.Array", "System.Object"], skip_inheritance=True)
class StringArray(PSListBase):
    pass


class PlusZero(datetime.tzinfo):
    """UTC written as "+00:00", as MI's utc = 0 is (psrpcore writes
    datetime.timezone.utc as "Z": one byte shorter, same instant)."""

    def utcoffset(self, dt):
        return datetime.timedelta(0)

    def dst(self, dt):
        return None

    def tzname(self, dt):
        return "+00:00"


MODIFIED = PSDateTime(2026, 11, 21, 14, 3, 27, 123456, tzinfo=PlusZero())


def build(i):
    name = f"item-{i:06}"
    item = BenchItem(
        Name=name,
        Caption="Contoso storage volume",
        Description="Primary data volume of the accounting department, replicated nightly",
        Path="/srv/data/accounting/2026/quarterly-reports",
        Owner="CONTOSO\\jdoe",
        Status="OK",
        Version="10.0.19045.4291",
        Vendor="Contoso Ltd.",
        Hash="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        Priority=3,
        Offset=-120,
        Port=8443,
        Items=1234,
        Delta=-42,
        Flags=0x80000001,
        Size=1 << 40,
        Balance=-9876543210,
        Modified=MODIFIED,
        Ratio=0.75,
        Tags=StringArray(["finance", "replicated", "tier-1", "eu-west"]),
        PSComputerName=None,
    )
    item.PSObject.to_string = f'Bench_Item: Contoso storage volume (Name = "{name}")'
    return item


def clixml(item):
    """What psrpcore's prepare_message does with a PSObject."""
    return ElementTree.tostring(serialize(item, None), encoding="utf-8", method="xml")


def fragment(data, object_id):
    """What prepare_message (the message) and data_to_send (its fragments) do."""
    message = PSRPMessage(
        PSRPMessageType.PipelineOutput,
        create_message(False, PSRPMessageType.PipelineOutput, b"\xef\xbb\xbf" + data, RPID, PID),
        RPID,
        PID,
        object_id,
    )
    out = bytearray()
    while len(message):
        f = message.fragment(FRAGMENT_SIZE - 21)
        out += create_fragment(f.object_id, f.fragment_id, f.data, f.end)
    return bytes(out)


def equivalent(a, b):
    """Whether two CLIXML texts are the same once attributes are sorted and
    each <ToString> is compared apart from where it stands."""

    def split(x):
        c = ElementTree.canonicalize(x.decode())
        start, end = c.find("<ToString>"), c.find("</ToString>") + len("</ToString>")
        return c[:start] + c[end:], c[start:end]

    return len(a) == len(b) and split(a) == split(b)


def per_object_us(stmt, number, repeat):
    times = timeit.repeat(stmt, number=number, repeat=repeat)
    return statistics.median(times) / number * 1e6, min(times) / number * 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="200 objects x 3 repeats")
    ap.add_argument("--number", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--dump", action="store_true", help="print the CLIXML of item 1 and exit")
    ap.add_argument("--check", metavar="FILE", help="compare with the Rust bench's MODULES_PROFILE=dump output")
    args = ap.parse_args()
    number, repeat = (200, 3) if args.quick else (args.number, args.repeat)

    item = build(1)
    data = clixml(item)
    if args.dump:
        print(data.decode())
        return 0
    if args.check:
        with open(args.check, "rb") as f:
            rust = f.read().strip()
        if not equivalent(rust, data):
            print("DIFFERENT from the Rust bench's CLIXML:")
            print(" rust:     ", rust.decode())
            print(" psrpcore: ", data.decode())
            return 1
        same = "identical" if rust == data else "equivalent (ToString and attribute order aside)"
        print(f"{same} to the Rust bench's CLIXML: {len(rust)} and {len(data)} bytes")

    print(
        f"psrpcore {importlib.metadata.version('psrpcore')} on Python "
        f"{sys.version.split()[0]}: {len(data)} bytes of CLIXML, "
        f"{len(fragment(data, 1))} bytes of fragment; {number} objects x {repeat} repeats"
    )
    counter = iter(range(1, 1 << 62))
    cases = [
        ("build", lambda: build(1)),
        ("serialize", lambda: clixml(item)),
        ("fragment", lambda: fragment(data, next(counter))),
        ("total", lambda: fragment(clixml(build(1)), next(counter))),
    ]
    for name, stmt in cases:
        median, best = per_object_us(stmt, number, repeat)
        print(f"{name:>10}: {median:8.1f} µs per object (median; best {best:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
