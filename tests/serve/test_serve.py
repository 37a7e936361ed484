"""`mi-psrp serve` driven by pypsrp 1.0.0b1 through ProcessInfo (the
OutOfProc transport on the server's stdin/stdout), against the xyz test
module. Run by tests/serve.rs, which sets MIPSRP_SERVE (the built binary)
and XYZ_MODULE (the module, MI_CHAR_TYPE 2).

pypsrp has no timeouts: each test runs its client in a thread bounded by
TIMEOUT, so a hang fails instead of stalling.
"""

import os
import threading

import psrp
import pytest
from psrpcore.types import PSInvocationState

SERVE = os.environ["MIPSRP_SERVE"]
MODULE = os.environ["XYZ_MODULE"]
TIMEOUT = 60


def bounded(fn):
    """Runs fn() on a thread; fails the test if it takes over TIMEOUT."""
    box = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 -- re-raised below
            box["error"] = e

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(TIMEOUT)
    assert not t.is_alive(), "the client hung"
    if "error" in box:
        raise box["error"]
    return box["value"]


def pool(tmp_path):
    log = str(tmp_path / "serve.log")
    return psrp.SyncRunspacePool(psrp.ProcessInfo(SERVE, ["serve", "--module", MODULE, "--log", log]))


def prop(obj, name):
    return obj.adapted_properties[name] if name in getattr(obj, "adapted_properties", {}) else getattr(obj, name)


def test_get_ciminstance_lists_the_widgets(tmp_path):
    def go():
        with pool(tmp_path) as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_command("Get-CimInstance").add_parameter("ClassName", "XYZ_Widget")
            out = ps.invoke()
            return out, ps
    out, ps = bounded(go)
    assert len(out) == 2
    names = sorted(str(o.Name) for o in out)
    assert names == ["alpha", "beta"]
    for o in out:
        assert any("XYZ_Widget" in t for t in o.PSTypeNames), o.PSTypeNames
    assert ps.state == PSInvocationState.Completed
    assert [str(w.Message) for w in ps.streams.warning]
    # No -Verbose: no verbose records, as PowerShell's preference does.
    assert list(ps.streams.verbose) == []


def test_invoke_cimmethod_streams_and_returns(tmp_path):
    def go():
        with pool(tmp_path) as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_command("Invoke-CimMethod").add_parameters(
                ClassName="XYZ_Widget", MethodName="Scan", Arguments={"Pattern": "p"}, Verbose=True
            )
            out = ps.invoke()
            return out, ps
    out, ps = bounded(go)
    assert len(out) == 3, out
    assert ps.state == PSInvocationState.Completed
    assert len(ps.streams.progress) >= 1
    assert [r.Activity for r in ps.streams.progress][0] == "Scanning"
    # -Verbose: the command's own ShouldProcess description first, as
    # PowerShell writes it, then the provider's message.
    assert [str(v.Message) for v in ps.streams.verbose] == [
        'Performing the operation "Invoke-CimMethod: Scan" on target "XYZ_Widget".',
        "scanning",
    ]
    assert [str(w.Message) for w in ps.streams.warning] == ["the scan finds made-up things"]
    assert list(ps.streams.debug) == []


@pytest.mark.parametrize(
    "command,params,reason",
    [
        ("Get-CimInstance", {"ClassName": "XYZ_Nope"}, "CimException"),
        ("Get-Process", {}, "CommandNotFoundException"),
        ("Get-CimInstance", {"ClassName": "XYZ_Widget", "Frob": 1}, "ParameterBindingException"),
        ("Invoke-CimMethod", {"ClassName": "XYZ_Widget", "MethodName": "Nope"}, "CimException"),
    ],
)
def test_what_cannot_run_fails_the_pipeline(tmp_path, command, params, reason):
    def go():
        with pool(tmp_path) as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_command(command).add_parameters(**params)
            with pytest.raises(psrp.PipelineFailed) as e:
                ps.invoke()
            # The session goes on: another pipeline runs.
            ok = psrp.SyncPowerShell(rp)
            ok.add_command("Get-CimInstance").add_parameter("ClassName", "XYZ_Widget")
            return e.value, ok.invoke(), ps
    err, out, ps = bounded(go)
    assert ps.state == PSInvocationState.Failed
    assert reason in str(err.args) or reason in repr(err.__dict__), (reason, err.args, err.__dict__)
    assert len(out) == 2


def test_two_pipelines_at_once(tmp_path):
    def go():
        with pool(tmp_path) as rp:
            a = psrp.SyncPowerShell(rp)
            a.add_command("Invoke-CimMethod").add_parameters(
                ClassName="XYZ_Widget", MethodName="Scan", Arguments={"Pattern": "a"}
            )
            b = psrp.SyncPowerShell(rp)
            b.add_command("Get-CimInstance").add_parameter("ClassName", "XYZ_Widget")
            ta, tb = a.invoke_async(), b.invoke_async()
            return ta.wait(), tb.wait(), a, b
    ra, rb, a, b = bounded(go)
    assert a.state == PSInvocationState.Completed and b.state == PSInvocationState.Completed
    assert len(ra) == 3 and len(rb) == 2


def test_stop_during_an_operation(tmp_path):
    def go():
        with pool(tmp_path) as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_command("Invoke-CimMethod").add_parameters(ClassName="XYZ_Bad", MethodName="NeverEnds")
            started = threading.Event()
            ps.streams.progress.data_added += lambda _r: started.set()
            task = ps.invoke_async()
            assert started.wait(TIMEOUT)
            ps.stop()
            with pytest.raises(psrp.PipelineStopped):
                task.wait()
            return ps
    ps = bounded(go)
    assert ps.state == PSInvocationState.Stopped


def test_create_filter_modify_invoke_remove_round_trip(tmp_path):
    """Every command of the set, with instances sent back as -InputObject
    (pypsrp re-serializes the deserialized CimInstance), a datetime and an
    embedded instance from a dict, -WhatIf and the common parameters."""
    import datetime

    def run(rp, command, **params):
        ps = psrp.SyncPowerShell(rp)
        ps.add_command(command).add_parameters(**params)
        return ps.invoke(), ps

    def go():
        with pool(tmp_path) as rp:
            r = {}
            stamp = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
            r["new"] = run(
                rp,
                "New-CimInstance",
                ClassName="XYZ_Widget",
                Property={
                    "Name": "gamma",
                    "U8": 7,
                    "Stamp": stamp,
                    "Part": {"Name": "bolt", "Weight": 3},
                    "Texts": ["a", "b"],
                },
            )
            r["by_key"] = run(rp, "Get-CimInstance", ClassName="XYZ_Widget", Filter="Name = 'gamma'")
            r["by_value"] = run(rp, "Get-CimInstance", ClassName="XYZ_Widget", Filter="U8 = 7")
            gamma = r["by_key"][0][0]
            r["set"] = run(rp, "Set-CimInstance", InputObject=gamma, Property={"U8": 9})
            r["get"] = run(rp, "Get-CimInstance", InputObject=gamma)
            r["resize"] = run(
                rp, "Invoke-CimMethod", InputObject=gamma, MethodName="Resize", Arguments={"Size": 5, "Note": "n"}
            )
            r["whatif"] = run(rp, "Remove-CimInstance", InputObject=gamma, WhatIf=True)
            r["still"] = run(rp, "Get-CimInstance", InputObject=gamma)
            r["remove"] = run(rp, "Remove-CimInstance", InputObject=gamma)
            r["gone"] = run(rp, "Get-CimInstance", ClassName="XYZ_Widget", WarningAction="SilentlyContinue")
            r["missing"] = run(rp, "Get-CimInstance", InputObject=gamma)
            r["quiet"] = run(rp, "Get-CimInstance", InputObject=gamma, ErrorAction="SilentlyContinue")
            return r

    r = bounded(go)
    out, ps = r["new"]
    assert ps.state == PSInvocationState.Completed and len(out) == 1
    assert str(prop(out[0], "Name")) == "gamma" and int(prop(out[0], "U8")) == 7
    assert prop(out[0], "Stamp").year == 2024
    assert str(prop(prop(out[0], "Part"), "Name")) == "bolt"
    for k in ("by_key", "by_value"):
        out, ps = r[k]
        assert [str(prop(o, "Name")) for o in out] == ["gamma"], k
    assert list(r["by_key"][1].streams.warning) == []  # GetInstance, not the enumeration
    out, _ = r["get"]
    assert int(prop(out[0], "U8")) == 9
    out, ps = r["resize"]
    assert ps.state == PSInvocationState.Completed and len(out) == 1
    out, ps = r["whatif"]
    assert out == [] and ps.state == PSInvocationState.Completed
    assert len(r["still"][0]) == 1
    assert r["remove"][1].state == PSInvocationState.Completed
    out, ps = r["gone"]
    assert sorted(str(prop(o, "Name")) for o in out) == ["alpha", "beta"]
    assert list(ps.streams.warning) == []
    out, ps = r["missing"]
    assert out == [] and len(ps.streams.error) == 1
    assert "MI_RESULT_NOT_FOUND" in str(ps.streams.error[0])
    assert list(r["quiet"][1].streams.error) == []


@pytest.mark.parametrize(
    "command,params,text",
    [
        ("Get-CimInstance", {"ClassName": "XYZ_Widget", "Filter": "Name LIKE 'a%'"}, "Property = value"),
        ("New-CimInstance", {"ClassName": "XYZ_Widget", "Property": {"Name": "x"}, "Confirm": True}, "does not support user interaction"),
        ("New-CimInstance", {"ClassName": "XYZ_Widget", "Property": {"U8": "many"}}, "uint8"),
        ("Get-CimInstance", {"ClassName": "XYZ_Widget", "OutVariable": "x"}, "not supported"),
        ("Remove-CimInstance", {"InputObject": "alpha"}, "not a CimInstance"),
    ],
)
def test_refused_parameters_say_why(tmp_path, command, params, text):
    def go():
        with pool(tmp_path) as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_command(command).add_parameters(**params)
            with pytest.raises(psrp.PipelineFailed) as e:
                ps.invoke()
            return e.value
    err = bounded(go)
    assert text in str(err.args) + repr(err.__dict__), (text, err.args)


def test_pipeline_input_binds_to_input_object(tmp_path):
    """Instances sent as pipeline input (PIPELINE_INPUT): one GetInstance
    each, as `… | Get-CimInstance` runs."""

    def go():
        with pool(tmp_path) as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_command("Get-CimInstance").add_parameter("ClassName", "XYZ_Widget")
            widgets = ps.invoke()
            ps = psrp.SyncPowerShell(rp)
            ps.add_command("Get-CimInstance").add_parameter("KeyOnly", True)
            return ps.invoke(input_data=widgets), ps

    out, ps = bounded(go)
    assert ps.state == PSInvocationState.Completed
    assert sorted(str(prop(o, "Name")) for o in out) == ["alpha", "beta"]
