"""Tests of the bindings' provider modules (``Module``, ``Instance``): the xyz
test module of tests/c/modules/xyz (omigen shape) loaded in both character
types, its operations run on contexts of a pool, and what reaches the sink
decoded by psrpcore, as a PowerShell client would.

The module is the one tests/python_bindings.rs builds
(``MIPSRP_TEST_MODULE_XYZ1`` / ``…XYZ2``); without those variables it is
compiled here with ``cc`` against the library ``MIPSRP_LIB`` names. Each test
loads its own copy of the shared object: a module's globals (the widget
store) belong to the loaded object, so tests never share them.
"""

import ctypes
import datetime
import glob
import os
import shutil
import subprocess
import threading
import uuid

import psrpcore
import pytest
from psrpcore.types import ProgressRecordType

import mi_psrp
from mi_psrp import MiError, Module, Pool

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RPID = "6397709e-f7d6-c54d-9568-fd4656ae4820"
PID = "632aa393-254e-b24d-8288-4d968d0da65d"
NS = "root/xyz"
PIPELINE_OUTPUT = 0x00041004
ERROR_RECORD = 0x00041005
CIM = "Deserialized.Microsoft.Management.Infrastructure."
WCHAR = ctypes.sizeof(ctypes.c_wchar)


# ---------------------------------------------------------------- fixtures


def _build(char_type: int, out_dir: str) -> str:
    """Compiles tests/c/modules/xyz as tests/common/modules.rs does."""
    lib = os.environ.get("MIPSRP_LIB")
    src = os.path.join(ROOT, "tests", "c", "modules", "xyz")
    so = os.path.join(out_dir, f"libxyz-{char_type}.so")
    cmd = [os.environ.get("CC", "cc"), "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fPIC", "-shared"]
    cmd += [f"-DMI_CHAR_TYPE={char_type}", "-I", os.path.join(ROOT, "include"), "-I", src]
    cmd += sorted(glob.glob(os.path.join(src, "*.c"))) + ["-o", so]
    if lib:
        lib_dir = os.path.dirname(os.path.abspath(lib))
        cmd += ["-Wl,--no-undefined", f"-L{lib_dir}", f"-Wl,-rpath,{lib_dir}"]
    cmd += ["-lmi_psrp", "-lpthread"]
    subprocess.run(cmd, check=True)
    return so


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """char_type (1, 2) → the path of the xyz module built for it."""
    paths = {}

    def path(char_type: int) -> str:
        if char_type not in paths:
            given = os.environ.get(f"MIPSRP_TEST_MODULE_XYZ{char_type}")
            paths[char_type] = given or _build(char_type, str(tmp_path_factory.mktemp("xyz")))
        return paths[char_type]

    return path


@pytest.fixture
def xyz(built, tmp_path):
    """``xyz(char_type)``: a module of its own (a copy of the shared object,
    so globals of its own), unloaded at the end of the test."""
    loaded = []

    def load(char_type: int) -> Module:
        copy = tmp_path / f"libxyz-{char_type}-{len(loaded)}.so"
        shutil.copy(built(char_type), copy)
        module = Module.load(copy)
        loaded.append(module)
        return module

    yield load
    for module in reversed(loaded):
        module.close()


BOTH = pytest.mark.parametrize("char_type", [1, 2], ids=["utf8", "wide"])


# ---------------------------------------------------------------- decoding


def decode(wire: bytes):
    client = psrpcore.ClientRunspacePool()
    client.receive_data(psrpcore.PSRPPayload(bytes(wire), psrpcore.StreamType.default, None))
    events = []
    while (event := client.next_event()) is not None:
        events.append(event)
    return events


def outputs(events):
    return [e.data for e in events if isinstance(e, psrpcore.PipelineOutputEvent)]


def props(obj) -> dict:
    """A deserialized CIM object's properties (adapted, then extended), by name."""
    out = {}
    for group in (obj.PSObject.adapted_properties, obj.PSObject.extended_properties):
        for p in group:
            out[p.name] = p.get_value(obj)
    return out


def messages(wire: bytes):
    """(message_type, data) of each message, fragments put back together."""
    out, parts, offset = [], {}, 0
    while offset < len(wire):
        oid = int.from_bytes(wire[offset : offset + 8], "big")
        flags, length = wire[offset + 16], int.from_bytes(wire[offset + 17 : offset + 21], "big")
        parts.setdefault(oid, bytearray()).extend(wire[offset + 21 : offset + 21 + length])
        offset += 21 + length
        if flags & 2:
            blob = bytes(parts.pop(oid))
            out.append((int.from_bytes(blob[4:8], "little"), blob[40:]))
    return out


def run(module: Module, operation, *args, fragment_size=None, **kwargs):
    """Runs ``module.<operation>(ctx, *args)`` on a fresh pool and context of
    the module's character size (ActivityId 7); returns (result, wire, outcome)."""
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        if fragment_size:
            pool.set_fragment_size(fragment_size)
        with pool.context(PID, activity_id=7, char_size=module.char_size) as ctx:
            getattr(module, operation)(ctx, *args, **kwargs)
            result = ctx.wait(30)
            assert result is not None, "the operation never ended"
            outcome = ctx.outcome()
    return result, bytes(wire), outcome


# ---------------------------------------------------------------- operations


@BOTH
def test_enumerate_yields_every_widget_as_a_cim_instance(xyz, char_type):
    module = xyz(char_type)
    assert module.char_size == (1 if char_type == 1 else WCHAR)
    assert module.utf8 == (char_type == 1)
    result, wire, outcome = run(module, "enumerate", NS, "XYZ_Widget")
    assert result == mi_psrp.MI_RESULT_OK and outcome == (0, None, None)
    events = decode(wire)
    objs = outputs(events)
    assert len(objs) == 2
    for obj in objs:
        assert list(obj.PSObject.type_names) == [
            CIM + "CimInstance#root/xyz/XYZ_Widget",
            CIM + "CimInstance#root/xyz/XYZ_Base",
            CIM + "CimInstance#XYZ_Widget",
            CIM + "CimInstance#XYZ_Base",
            CIM + "CimInstance",
            "Deserialized.System.Object",
        ]
    alpha, beta = (props(o) for o in objs)
    assert (alpha["Name"], beta["Name"]) == ("alpha", "beta")
    assert (alpha["Enabled"], alpha["U8"], alpha["S8"]) == (True, 255, -128)
    assert (beta["Enabled"], beta["U8"], beta["S8"]) == (False, 1, None)
    assert list(alpha)[0] == "Name" and list(alpha)[-1] == "PSComputerName"
    assert objs[0].PSObject.to_string == 'XYZ_Widget: Alpha & <Co> (Name = "alpha")'
    # The provider's records come in order with the objects, on the pipeline.
    kinds = [type(e).__name__ for e in events]
    assert kinds[:2] == ["VerboseRecordEvent", "WarningRecordEvent"]
    assert kinds.index("PipelineOutputEvent") > kinds.index("ProgressRecordEvent")
    assert all(e.pipeline_id == uuid.UUID(PID) for e in events)

    # keys only, and a property set the provider receives
    _, wire, _ = run(module, "enumerate", NS, "XYZ_Widget", keys_only=True)
    keys = [props(o) for o in outputs(decode(wire))]
    assert [k["Name"] for k in keys] == ["alpha", "beta"]
    assert keys[0]["U8"] is None
    result, _, _ = run(module, "enumerate", NS, "XYZ_Widget", properties=["Name", "U8"])
    assert result == 0


@BOTH
def test_a_static_method_streams_then_returns_its_result(xyz, char_type):
    module = xyz(char_type)
    with module.new_parameters("XYZ_Widget", "Scan", Pattern="p") as args:
        assert args["Pattern"] == "p"
        result, wire, _ = run(module, "invoke", NS, "XYZ_Widget", "Scan", parameters=args, fragment_size=64)
    assert result == 0
    events = decode(wire)
    objs = outputs(events)
    assert len(objs) == 3
    for i, streamed in enumerate(objs[:2], 1):
        assert list(streamed.PSObject.type_names)[:2] == [
            CIM + "CimMethodStreamedResult#XYZ_Widget#Scan",
            CIM + "CimMethodStreamedResult",
        ]
        assert props(streamed) == {"ParameterName": "Found", "ItemType": 14, "ItemValue": f"p-{i}", "PSComputerName": None}
    assert list(objs[2].PSObject.type_names)[0] == CIM + "CimMethodResult#XYZ_Widget#Scan"
    assert props(objs[2]) == {"Count": 2, "ReturnValue": 0, "PSComputerName": None}
    kinds = {type(e).__name__ for e in events}
    assert {"ProgressRecordEvent", "VerboseRecordEvent", "WarningRecordEvent", "DebugRecordEvent"} <= kinds
    assert events[-1].record.RecordType == ProgressRecordType.Completed

    # Without its Pattern: the provider's PostError, an error record.
    result, wire, outcome = run(module, "invoke", NS, "XYZ_Widget", "Scan")
    assert result == mi_psrp.MI_RESULT_INVALID_PARAMETER
    assert outcome == (4, "MI", "Scan needs a Pattern")
    errors = [e for e in decode(wire) if isinstance(e, psrpcore.ErrorRecordEvent)]
    assert [e.record.Exception.Message for e in errors] == ["Scan needs a Pattern"]


@BOTH
def test_an_instance_method_gets_its_target_and_in_parameters(xyz, char_type):
    module = xyz(char_type)
    target = module.new_instance("XYZ_Widget", Name="alpha")
    args = module.new_parameters("XYZ_Widget", "Resize", Size=77, Note="big")
    result, wire, _ = run(module, "invoke", NS, "XYZ_Widget", "Resize", instance=target, parameters=args)
    assert result == 0
    (out,) = outputs(decode(wire))
    got = props(out)
    assert got["Note"] == "big resized alpha to 77"
    assert props(got["Part"])["Weight"] == 77
    assert list(got["Codes"]) == [1, 2, 3]
    assert got["ReturnValue"] == 0
    # The stored widget changed: U64 = Size.
    _, wire, _ = run(module, "get", NS, target)
    assert props(outputs(decode(wire))[0])["U64"] == 77


def test_create_then_get_round_trips_every_value(xyz):
    module = xyz(1)
    stamp = datetime.datetime(2024, 5, 1, 9, 30, 15, 250000, tzinfo=datetime.timezone.utc)
    w = module.new_instance(
        "XYZ_Widget",
        Name="w3",
        Enabled=True,
        U8=200,
        S16=-300,
        U64=2**64 - 1,
        S64=-(2**63),
        R64=2.5,
        C16="é",
        Stamp=stamp,
        Text="café <&>",
        Texts=["a", "b \u2014 c"],
        U32s=[1, 2, 3],
    )
    result, wire, _ = run(module, "create", NS, w)
    assert result == 0
    (created,) = outputs(decode(wire))
    assert props(created)["Name"] == "w3"
    # Created twice: the provider's ALREADY_EXISTS.
    assert run(module, "create", NS, w)[0] == mi_psrp.MI_RESULT_ALREADY_EXISTS

    key = module.new_instance("XYZ_Widget", Name="w3")
    result, wire, _ = run(module, "get", NS, key)
    assert result == 0
    (got,) = outputs(decode(wire))
    p = props(got)
    assert (p["Name"], p["Enabled"], p["U8"], p["S16"]) == ("w3", True, 200, -300)
    assert (p["U64"], p["S64"], p["R64"], int(p["C16"])) == (2**64 - 1, -(2**63), 2.5, ord("é"))  # a PSChar
    assert p["Stamp"].replace(tzinfo=datetime.timezone.utc) == stamp
    assert (p["Text"], list(p["Texts"]), list(p["U32s"])) == ("café <&>", ["a", "b \u2014 c"], [1, 2, 3])
    assert p["U16"] is None and p["Caption"] is None
    _, wire, _ = run(module, "enumerate", NS, "XYZ_Widget", keys_only=True)
    assert [props(o)["Name"] for o in outputs(decode(wire))] == ["alpha", "beta", "w3"]

    # Modify, then Delete: NOT_FOUND after.
    change = module.new_instance("XYZ_Widget", Name="w3", U8=7)
    assert run(module, "modify", NS, change)[0] == 0
    assert props(outputs(decode(run(module, "get", NS, key)[1]))[0])["U8"] == 7
    assert run(module, "delete", NS, key)[0] == 0
    result, wire, _ = run(module, "get", NS, key)
    assert result == mi_psrp.MI_RESULT_NOT_FOUND
    assert outputs(decode(wire)) == []


def test_a_utf8_and_a_wide_module_loaded_at_once_send_the_same_bytes(xyz):
    utf8, wide = xyz(1), xyz(2)
    assert (utf8.char_size, wide.char_size) == (1, WCHAR)

    def scan(module):
        with module.new_parameters("XYZ_Widget", "Scan", Pattern="caf\u00e9 \U0001d11e") as args:
            return run(module, "invoke", NS, "XYZ_Widget", "Scan", parameters=args)

    for go in (
        lambda m: run(m, "enumerate", NS, "XYZ_Widget"),
        scan,
        lambda m: run(m, "invoke", NS, "XYZ_Widget", "Scan"),
    ):
        a, b = go(utf8), go(wide)
        assert a[0] == b[0] and a[2] == b[2]
        assert messages(a[1]) == messages(b[1])
        assert a[1] == b[1], "the same fragments, byte for byte"
    assert any(t == PIPELINE_OUTPUT for t, _ in messages(scan(wide)[1]))
    # A context must be of the module's character size: nothing is run.
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        with pool.context(PID, char_size=1) as ctx:
            with pytest.raises(MiError) as e:
                wide.enumerate(ctx, NS, "XYZ_Widget")
            assert e.value.code == mi_psrp.MI_RESULT_INVALID_PARAMETER
            assert ctx.wait(0) is None
        # An instance of one module is not an input of the other.
        foreign = utf8.new_instance("XYZ_Widget", Name="alpha")
        with pool.context(PID, char_size=WCHAR) as ctx:
            with pytest.raises(MiError) as e:
                wide.get(ctx, NS, foreign)
            assert e.value.code == mi_psrp.MI_RESULT_INVALID_PARAMETER
    assert wire == b""


def test_an_operation_that_cannot_start_ends_with_an_error_record(xyz):
    module = xyz(2)
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        with pool.context(PID, char_size=module.char_size) as ctx:
            with pytest.raises(MiError) as e:
                module.invoke(ctx, NS, "XYZ_Widget", "Nope")
            assert e.value.code == 17  # MI_RESULT_METHOD_NOT_FOUND
            assert e.value.name == "MI_RESULT_METHOD_NOT_FOUND"
            assert ctx.wait(0) == 17
            assert ctx.outcome() == (17, "MI", "class XYZ_Widget has no method Nope")
    (error,) = [e for e in decode(wire) if isinstance(e, psrpcore.ErrorRecordEvent)]
    assert error.record.Exception.Message == "class XYZ_Widget has no method Nope"
    with pytest.raises(MiError) as e:
        module.new_instance("XYZ_Nothing")
    assert e.value.code == mi_psrp.MI_RESULT_NOT_FOUND
    with pytest.raises(MiError) as e:
        module.new_parameters("XYZ_Widget", "Nope")
    assert e.value.code == mi_psrp.MI_RESULT_NOT_FOUND


def test_an_operation_ended_later_on_the_providers_thread(xyz):
    module = xyz(2)
    ended = []
    done = threading.Event()
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        ctx = pool.context(PID, char_size=module.char_size)

        def complete(result, ending):
            ended.append((result, ending, threading.current_thread() is threading.main_thread()))
            done.set()

        ctx.on_complete(complete)
        args = module.new_parameters("XYZ_Widget", "Later", DelayMs=50)
        module.invoke(ctx, NS, "XYZ_Widget", "Later", parameters=args)
        del args  # the context keeps it until the operation ended and it is closed
        assert done.wait(30)
        assert ended == [(0, mi_psrp.MIPSRP_ENDING_POST_RESULT, False)]
        ctx.close()
    (result,) = outputs(decode(wire))
    assert props(result)["ReturnValue"] == 50


def test_load_errors_raise_mi_error_naming_the_path(tmp_path):
    missing = str(tmp_path / "libnothing.so")
    with pytest.raises(MiError) as e:
        Module.load(missing)
    assert e.value.code == mi_psrp.MI_RESULT_FAILED
    assert missing in str(e.value) and missing in e.value.reason
    assert "No such file" in e.value.reason
    # A shared library without MI_Main: the library itself.
    lib = os.environ["MIPSRP_LIB"]
    with pytest.raises(MiError) as e:
        Module.load(lib)
    assert "no MI_Main" in e.value.reason
    with pytest.raises(TypeError):
        Module("x")
    with pytest.raises(ValueError):
        Module.load("a\0b")


# ---------------------------------------------------------------- instances


def test_values_of_every_supported_type_round_trip_through_the_instance(xyz):
    for char_type in (1, 2):
        module = xyz(char_type)
        with module.new_instance("XYZ_Widget") as w:
            assert w.class_name == "XYZ_Widget"
            names = w.names()
            assert names[:3] == ["Name", "Enabled", "U8"] and names[-1] == "Caption"
            assert w.type_of("U64s") == mi_psrp.MI_UINT64A and w.type_of("Text") == mi_psrp.MI_STRING
            stamp = datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))
            span = datetime.timedelta(days=3, hours=4, minutes=5, seconds=6, microseconds=7)
            values = {
                "Name": "n \U0001d11e",
                "Enabled": False,
                "U8": 255,
                "S8": -128,
                "U16": 65535,
                "S16": -32768,
                "U32": 2**32 - 1,
                "S32": -(2**31),
                "U64": 2**64 - 1,
                "S64": 2**63 - 1,
                "R32": 0.5,
                "R64": -1e300,
                "C16": "\uffff",
                "Stamp": stamp,
                "Text": "",
                "Flags": [True, False],
                "U8s": [0, 255],
                "S8s": [-1],
                "U16s": [1, 2],
                "S16s": [-2],
                "U32s": [],
                "S32s": [-3, 3],
                "U64s": [2**64 - 1],
                "S64s": [-(2**63)],
                "R32s": [1.25],
                "R64s": [2.5, -0.0],
                "C16s": ["a", "\u00e9"],
                "Stamps": [stamp, span],
                "Texts": ["x", "caf\u00e9"],
            }
            for name, value in values.items():
                w[name] = value
            for name, value in values.items():
                assert w[name] == value, name
            part = module.new_instance("XYZ_Part", Name="p", Weight=3)
            w["Part"] = part
            w.set("Parts", [part, part], mi_psrp.MI_INSTANCEA)
            part["Weight"] = 4  # the instance holds a copy
            copy = w["Part"]
            assert (copy.class_name, copy["Name"], copy["Weight"]) == ("XYZ_Part", "p", 3)
            assert [p["Weight"] for p in w["Parts"]] == [3, 3]
            # None and clear() make an element null.
            w["U8"] = None
            w.set("Texts", None, mi_psrp.MI_STRINGA)
            w.clear("U16")
            assert (w["U8"], w["Texts"], w["U16"]) == (None, None, None)
            assert w.as_dict()["Name"] == "n \U0001d11e"
            if char_type == 1:
                w["Text"] = b"raw \xff bytes"
                assert w["Text"] == "raw \ufffd bytes"
            else:
                with pytest.raises(TypeError):
                    w["Text"] = b"bytes"


@pytest.mark.parametrize(
    "name, value, error",
    [
        ("U8", 256, OverflowError),
        ("U8", -1, OverflowError),
        ("S8", 128, OverflowError),
        ("U16", 2**16, OverflowError),
        ("S16", -(2**15) - 1, OverflowError),
        ("U32", 2**32, OverflowError),
        ("S32", 2**31, OverflowError),
        ("U64", 2**64, OverflowError),
        ("S64", -(2**63) - 1, OverflowError),
        ("U64s", [1, 2**64], OverflowError),
        ("S8s", [0, -129], OverflowError),
        ("R32", 1e300, OverflowError),
        ("C16", "\U0001d11e", OverflowError),
        ("C16", 0x10000, OverflowError),
        ("U32", 1.5, TypeError),
        ("U32", True, TypeError),
        ("U32", "1", TypeError),
        ("Enabled", 1, TypeError),
        ("R64", "1.0", TypeError),
        ("Text", 5, TypeError),
        ("Texts", "not a list", TypeError),
        ("Texts", ["a", 1], TypeError),
        ("Text", "a\0b", ValueError),
        ("C16", "ab", ValueError),
        ("Stamp", "2024-01-01", TypeError),
        ("Stamp", datetime.timedelta(seconds=-1), OverflowError),
        ("Part", "not an instance", TypeError),
    ],
)
def test_a_value_that_does_not_fit_raises_before_anything_is_set(xyz, name, value, error):
    module = xyz(2)
    with module.new_instance("XYZ_Widget") as w:
        with pytest.raises(error):
            w[name] = value
        assert w[name] is None, "the element stayed as it was"


def test_explicit_types_must_be_the_declared_ones(xyz):
    module = xyz(1)
    with module.new_instance("XYZ_Widget") as w:
        w.set("U32", 7, mi_psrp.MI_UINT32)
        with pytest.raises(MiError) as e:
            w.set("Enabled", 1, mi_psrp.MI_UINT32)
        assert e.value.code == mi_psrp.MI_RESULT_TYPE_MISMATCH
        with pytest.raises(MiError) as e:
            w.set("U32", 8, mi_psrp.MI_UINT64)
        assert e.value.code == mi_psrp.MI_RESULT_TYPE_MISMATCH
        assert w["U32"] == 7
        with pytest.raises(MiError) as e:
            w["Nothing"] = 1
        assert e.value.code == mi_psrp.MI_RESULT_NO_SUCH_PROPERTY
        with pytest.raises(OverflowError):
            w.set("U32", 1, 2**32)
        w.delete()
        with pytest.raises(ValueError):
            w["U32"] = 1
        w.delete()  # again: nothing


def test_a_context_for_a_module_takes_its_char_size():
    with Pool(RPID, lambda _f: None) as pool:
        assert pool.context(PID, char_size=1).utf8
        wide = pool.context(PID, char_size=WCHAR)
        assert not wide.utf8 and wide.char_size == WCHAR
        assert pool.context(PID, utf8=False, char_size=1).char_size == 1
        with pytest.raises(ValueError):
            pool.context(PID, char_size=3)
        with pytest.raises(OverflowError):
            pool.context(PID, char_size=-1)


def test_closing_the_module_deletes_its_instances(xyz):
    module = xyz(1)
    a = module.new_instance("XYZ_Widget", Name="a")
    module.close()
    assert a._handle is None
    with pytest.raises(ValueError):
        module.new_instance("XYZ_Widget")
    module.close()  # again: nothing


def test_output_settings_and_options_reach_the_wire_and_the_provider(xyz):
    """Pool.set_output puts PSComputerName (and class metadata) on every
    output object; Context.set_option is what the provider's option calls
    read (checked on the wire through the CLIXML)."""
    module = xyz(2)
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        pool.set_output("box7", class_metadata=True)
        with pool.context(PID, char_size=module.char_size) as ctx:
            ctx.set_option("Mode", "fast")
            ctx.set_option("Retries", 3)
            with pytest.raises(TypeError):
                ctx.set_option("Bad", 1.5)
            with pytest.raises(OverflowError):
                ctx.set_option("Bad", 2**32)
            module.enumerate(ctx, "root/xyz", "XYZ_Widget", keys_only=True)
            ctx.wait()
    text = bytes(wire)
    assert text.count(b'<S N="PSComputerName">box7</S>') == 2
    assert b"__ClassMetadata" in text
