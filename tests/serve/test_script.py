"""`mi-psrp serve` given script text (AddScript, as `Invoke-Command
-ScriptBlock` sends it), driven by pypsrp 1.0.0b1 through ProcessInfo,
against the xyz test module. Run by tests/serve_script.rs, which sets
MIPSRP_SERVE (the built binary), XYZ_MODULE (the module, MI_CHAR_TYPE 2)
and MIPSRP_SERVE_SCRIPT=1.

Without MIPSRP_SERVE_SCRIPT (pytest run on the whole tests/serve directory
by tests/serve.rs) this module is skipped: tests/serve_script.rs asserts
its own count of passed tests.
"""

import os
import threading

import pytest

if "MIPSRP_SERVE_SCRIPT" not in os.environ:
    pytest.skip("run by tests/serve_script.rs", allow_module_level=True)

import psrp  # noqa: E402
from psrpcore.types import PSInvocationState  # noqa: E402

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


def test_a_script_of_one_command(tmp_path):
    def go():
        with pool(tmp_path) as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_script("Get-CimInstance -ClassName XYZ_Widget")
            return ps.invoke(), ps

    out, ps = bounded(go)
    assert len(out) == 2
    assert sorted(str(o.Name) for o in out) == ["alpha", "beta"]
    assert ps.state == PSInvocationState.Completed


def test_a_script_with_param_and_argument_list(tmp_path):
    def go():
        with pool(tmp_path) as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_script(
                "param($c, $p) Invoke-CimMethod -ClassName $c -MethodName Scan -Arguments @{Pattern=$p}"
            ).add_argument("XYZ_Widget").add_argument("p")
            return ps.invoke(), ps

    out, ps = bounded(go)
    assert len(out) == 3, out
    assert ps.state == PSInvocationState.Completed


@pytest.mark.parametrize(
    "script,reason",
    [
        ("Get-Process", "CommandNotFoundException"),
        ("Get-CimInstance -ClassName XYZ_Widget; Get-Process", "ParseException"),
        ('Get-CimInstance -ClassName "$env:X"', "ParseException"),
        ("Get-CimInstance -ClassName XYZ_Widget -Frob 1", "ParameterBindingException"),
    ],
)
def test_what_a_script_cannot_run_fails_the_pipeline(tmp_path, script, reason):
    def go():
        with pool(tmp_path) as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_script(script)
            with pytest.raises(psrp.PipelineFailed) as e:
                ps.invoke()
            # The session goes on: another pipeline runs.
            ok = psrp.SyncPowerShell(rp)
            ok.add_script("Get-CimInstance XYZ_Widget")
            return e.value, ok.invoke(), ps

    err, out, ps = bounded(go)
    assert ps.state == PSInvocationState.Failed
    assert reason in str(err.args) or reason in repr(err.__dict__), (reason, err.args, err.__dict__)
    assert len(out) == 2
