"""`mi-psrp serve` as an OpenSSH subsystem, as a user deploys it:

    Subsystem mi-psrp /path/to/mi-psrp serve --module /path/to/libxyz.so

driven by pypsrp 1.0.0b1's SSHInfo (asyncssh) through a real sshd. Run by
tests/serve_ssh.rs, which starts a throwaway sshd on 127.0.0.1 and sets:

    MIPSRP_SSH_PORT         the sshd's port (127.0.0.1 only)
    MIPSRP_SSH_USER         the user to log in as (the one running sshd)
    MIPSRP_SSH_KEY          the throwaway client key (its .pub is authorized)
    MIPSRP_SSH_KNOWN_HOSTS  a known_hosts file holding the sshd's host key
    MIPSRP_SSH_SERVE_LOG    the subsystem's --log file: a path no other
                            process has on its command line, so the server
                            process is found by it

Without them (pytest run on the whole tests/serve directory by
tests/serve.rs) this module is skipped: tests/serve_ssh.rs asserts its own
count of passed tests.

SSHInfo is async only (pypsrp has no sync SSH connection): each test runs
its client with asyncio.wait_for(TIMEOUT), on a thread also bounded by
TIMEOUT, so a hang fails instead of stalling.
"""

import asyncio
import os
import threading
import time

import pytest

if "MIPSRP_SSH_PORT" not in os.environ:
    pytest.skip("run by tests/serve_ssh.rs, which starts the sshd", allow_module_level=True)

import asyncssh  # noqa: E402 -- after the skip: tests/serve.rs does not need it
import psrp  # noqa: E402
from psrpcore.types import PSInvocationState, RunspacePoolState  # noqa: E402

PORT = int(os.environ["MIPSRP_SSH_PORT"])
USER = os.environ["MIPSRP_SSH_USER"]
KEY = os.environ["MIPSRP_SSH_KEY"]
KNOWN_HOSTS = os.environ["MIPSRP_SSH_KNOWN_HOSTS"]
SERVE_LOG = os.environ["MIPSRP_SSH_SERVE_LOG"]
TIMEOUT = 60

assert hasattr(psrp, "SSHInfo"), "psrp.SSHInfo needs asyncssh (tests/interop/requirements.txt)"


def bounded(coro_fn):
    """Runs coro_fn() in its own event loop on a thread, bounded by TIMEOUT."""
    box = {}

    def target():
        try:
            box["value"] = asyncio.run(asyncio.wait_for(coro_fn(), TIMEOUT))
        except BaseException as e:  # noqa: BLE001 -- re-raised below
            box["error"] = e

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(TIMEOUT + 10)
    assert not t.is_alive(), "the client hung"
    if "error" in box:
        raise box["error"]
    return box["value"]


def connection():
    """SSHInfo for the test sshd: key auth only, its host key checked, no
    agent, no ~/.ssh/config, nothing but 127.0.0.1."""
    options = asyncssh.SSHClientConnectionOptions(
        username=USER,
        client_keys=[KEY],
        known_hosts=KNOWN_HOSTS,
        config=[],
        agent_path=None,
        password_auth=False,
        kbdint_auth=False,
        gss_auth=False,
        gss_kex=False,
        host_based_auth=False,
        connect_timeout=TIMEOUT,
        login_timeout=TIMEOUT,
    )
    return psrp.SSHInfo("127.0.0.1", port=PORT, subsystem="mi-psrp", options=options)


def server_processes():
    """PIDs of the subsystem's processes (mi-psrp serve … --log SERVE_LOG)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if SERVE_LOG.encode() in argv and b"serve" in argv:
            pids.append(int(entry))
    return pids


def ancestors(pid):
    """The command names of pid's parents, nearest first."""
    names = []
    while pid > 1:
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            break
        pid = int(stat.rsplit(")", 1)[1].split()[1])
        try:
            with open(f"/proc/{pid}/comm") as f:
                names.append(f.read().strip())
        except OSError:
            break
    return names


def assert_gone_soon(pids):
    """The server processes exit after the session: bounded wait."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if not any(p in server_processes() for p in pids):
            return
        time.sleep(0.1)
    raise AssertionError(f"the subsystem process(es) {pids} did not exit after the session closed")


async def session(body):
    """Opens a pool over SSH, checks the server is sshd's child, runs
    body(pool), closes; returns (body's value, server pids, final state)."""
    pool = psrp.AsyncRunspacePool(connection())
    async with pool as rp:
        assert rp.state == RunspacePoolState.Opened
        pids = server_processes()
        assert len(pids) == 1, f"expected one mi-psrp serve, found {pids}"
        assert "sshd" in ancestors(pids[0]), ancestors(pids[0])
        value = await body(rp)
    return value, pids, pool.state


def test_get_ciminstance_over_ssh():
    async def body(rp):
        ps = psrp.AsyncPowerShell(rp)
        ps.add_command("Get-CimInstance").add_parameter("ClassName", "XYZ_Widget")
        return await ps.invoke(), ps

    (out, ps), pids, state = bounded(lambda: session(body))
    assert len(out) == 2, out
    assert sorted(str(o.Name) for o in out) == ["alpha", "beta"]
    for o in out:
        assert any("XYZ_Widget" in t for t in o.PSTypeNames), o.PSTypeNames
    assert ps.state == PSInvocationState.Completed
    assert state == RunspacePoolState.Closed
    assert_gone_soon(pids)


def test_invoke_cimmethod_over_ssh_streams_records():
    async def body(rp):
        ps = psrp.AsyncPowerShell(rp)
        ps.add_command("Invoke-CimMethod").add_parameters(
            ClassName="XYZ_Widget", MethodName="Scan", Arguments={"Pattern": "p"}, Verbose=True
        )
        return await ps.invoke(), ps

    (out, ps), pids, state = bounded(lambda: session(body))
    assert len(out) == 3, out
    assert ps.state == PSInvocationState.Completed
    assert len(ps.streams.progress) >= 1
    assert [r.Activity for r in ps.streams.progress][0] == "Scanning"
    assert [str(v.Message) for v in ps.streams.verbose] == [
        'Performing the operation "Invoke-CimMethod: Scan" on target "XYZ_Widget".',
        "scanning",
    ]
    assert [str(w.Message) for w in ps.streams.warning] == ["the scan finds made-up things"]
    assert state == RunspacePoolState.Closed
    assert_gone_soon(pids)


def test_stop_over_ssh():
    async def body(rp):
        ps = psrp.AsyncPowerShell(rp)
        ps.add_command("Invoke-CimMethod").add_parameters(ClassName="XYZ_Bad", MethodName="NeverEnds")
        started = asyncio.Event()

        async def on_progress(_record):
            started.set()

        ps.streams.progress.data_added += on_progress
        task = await ps.invoke_async()
        await asyncio.wait_for(started.wait(), TIMEOUT)
        await ps.stop()
        with pytest.raises(psrp.PipelineStopped):
            await task
        return ps

    ps, pids, state = bounded(lambda: session(body))
    assert ps.state == PSInvocationState.Stopped
    assert state == RunspacePoolState.Closed
    assert_gone_soon(pids)


def test_two_sessions_at_once_get_their_own_servers():
    # Two pools open together: two server processes, both children of sshd.
    async def both():
        a = psrp.AsyncRunspacePool(connection())
        b = psrp.AsyncRunspacePool(connection())
        async with a, b:
            pids = server_processes()
            assert len(pids) == 2, pids
            pa, pb = psrp.AsyncPowerShell(a), psrp.AsyncPowerShell(b)
            pa.add_command("Get-CimInstance").add_parameter("ClassName", "XYZ_Widget")
            pb.add_command("Invoke-CimMethod").add_parameters(
                ClassName="XYZ_Widget", MethodName="Scan", Arguments={"Pattern": "q"}
            )
            ra, rb = await asyncio.gather(pa.invoke(), pb.invoke())
        return ra, rb, pids, a.state, b.state

    ra, rb, pids, sa, sb = bounded(both)
    assert len(ra) == 2 and len(rb) == 3
    assert sa == RunspacePoolState.Closed and sb == RunspacePoolState.Closed
    assert_gone_soon(pids)
