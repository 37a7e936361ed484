"""Decode CIM output objects written by mi-psrp (CimInstance, CimMethodResult,
CimMethodStreamedResult CLIXML) with psrpcore's deserializer, and compare
what it makes of them with what the Rust test (tests/cim_output.rs) expects.

Usage: psrpcore_cim.py CASES.json

CASES.json is a list of {"name", "clixml", "expect"}. An expectation is null
(a <Nil>) or {"t": the Python type name psrpcore returns, ...}:
  bool, PSByte … PSUInt64, PSChar: "v" the value;
  PSSingle, PSDouble: "v" a float text ("nan", "-inf", "-0.0": sign checked);
  PSString: "v" the text, or "units" its UTF-16 code units (lone surrogates);
  PSDateTime: "v" its isoformat(), "ns" its extra nanoseconds;
  PSDuration: "ns" the total nanoseconds (int or decimal text);
  PSByteArray: "hex";
  PSList (and _ArrayCount, psrpcore's class for System.Int32[]): "items";
  PSObject: "adapted" and "extended", [name, expectation] pairs in order;
and, for any of them, "type_names" and "to_string" when given.
Prints one line per mismatch and a closing "N passed, M failed"; exits 1 on
any mismatch.
"""

import json
import math
import sys
import xml.etree.ElementTree as ElementTree

from psrpcore.types import deserialize

passed = 0
failed = 0


def check(ok, where, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("MISMATCH", where, what)
    return ok


def units(s):
    """A str as UTF-16 code units (lone surrogates kept)."""
    b = s.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(b[i : i + 2], "little") for i in range(0, len(b), 2)]


def total_ns(duration):
    return (
        getattr(duration, "nanoseconds", 0)
        + duration.microseconds * 1000
        + duration.seconds * 1_000_000_000
        + duration.days * 86_400_000_000_000
    )


INTS = {"PSByte", "PSSByte", "PSUInt16", "PSInt16", "PSUInt", "PSInt", "PSUInt64", "PSInt64", "PSChar"}


def compare(where, actual, exp):
    if exp is None:
        check(actual is None, where, f"is {actual!r}, expected None")
        return
    kind = exp["t"]
    if not check(type(actual).__name__ == kind, where, f"is {type(actual).__name__} {actual!r}, expected {kind}"):
        return
    if kind == "bool":
        check(actual is exp["v"], where, f"{actual!r} != {exp['v']!r}")
    elif kind in INTS:
        check(int(actual) == exp["v"], where, f"{int(actual)} != {exp['v']}")
    elif kind in ("PSSingle", "PSDouble"):
        a, e = float(actual), float(exp["v"])
        same = (math.isnan(a) and math.isnan(e)) or (a == e and math.copysign(1, a) == math.copysign(1, e))
        check(same, where, f"{a!r} != {e!r}")
    elif kind == "PSString":
        want = exp["units"] if "units" in exp else units(exp["v"])
        check(units(actual) == want, where, f"{actual!r} != {exp!r}")
    elif kind == "PSDateTime":
        check(actual.isoformat() == exp["v"], where, f"{actual.isoformat()} != {exp['v']}")
        check(actual.nanosecond == exp.get("ns", 0), where, f"nanosecond {actual.nanosecond} != {exp.get('ns', 0)}")
    elif kind == "PSDuration":
        check(total_ns(actual) == int(exp["ns"]), where, f"{total_ns(actual)} ns != {exp['ns']}")
    elif kind == "PSByteArray":
        check(bytes(actual).hex() == exp["hex"], where, f"{bytes(actual).hex()} != {exp['hex']}")
    elif kind in ("PSList", "_ArrayCount"):  # psrpcore's own class for System.Int32[]
        items = list(actual)
        if check(len(items) == len(exp["items"]), where, f"{len(items)} items, expected {len(exp['items'])}"):
            for i, (a, e) in enumerate(zip(items, exp["items"])):
                compare(f"{where}[{i}]", a, e)
    elif kind == "PSObject":
        for group, props in (
            ("adapted", actual.PSObject.adapted_properties),
            ("extended", actual.PSObject.extended_properties),
        ):
            got = [(p.name, p.get_value(actual)) for p in props]
            names = [n for n, _ in got]
            want = [n for n, _ in exp[group]]
            if check(names == want, f"{where}.{group}", f"names {names} != {want}"):
                for (name, value), (_, e) in zip(got, exp[group]):
                    compare(f"{where}.{name}", value, e)
    if "type_names" in exp:
        got = list(actual.PSObject.type_names)
        check(got == exp["type_names"], f"{where}.type_names", f"{got} != {exp['type_names']}")
    if "to_string" in exp:
        got = actual.PSObject.to_string
        check(got == exp["to_string"], f"{where}.to_string", f"{got!r} != {exp['to_string']!r}")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    for case in cases:
        value = deserialize(ElementTree.fromstring(case["clixml"]), None)
        compare(case["name"], value, case["expect"])
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
