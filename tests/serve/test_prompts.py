"""`mi-psrp serve`'s prompts answered by a real client: pypsrp 1.0.0b1 with
a `psrp.PSHostUI` subclass (../shared/spec/psrp-host-calls.md §6), through
ProcessInfo. The xyz module's static `XYZ_Widget.Ask(Kind, Times, Text)`
calls a prompt slot Times times (Kind 0 ShouldProcess(Text, "Restart
service"), 1 ShouldContinue(Text)) and returns the yes count with each
call's code and answer. Run by tests/serve_prompts.rs (MIPSRP_SERVE,
XYZ_MODULE).
"""

import os
import threading
import time

import psrp
import pytest
from psrpcore.types import PSInvocationState

SERVE = os.environ["MIPSRP_SERVE"]
MODULE = os.environ["XYZ_MODULE"]
TIMEOUT = 60
OWN = 'Performing the operation "Invoke-CimMethod: Ask" on target "XYZ_Widget".'
WEB = 'Performing the operation "Restart service" on target "web".'
CONFIRM = "Are you sure you want to perform this action?\n"
FOUR = [
    ("&Yes", "Continue with only the next step of the operation."),
    ("Yes to &All", "Continue with all the steps of the operation."),
    ("&No", "Skip this operation and proceed with the next operation."),
    ("No to A&ll", "Skip this operation and all subsequent operations."),
]


def bounded(fn):
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


class UI(psrp.PSHostUI):
    """Answers every PromptForChoice with the next of `answers`, recording
    what it was asked and the What-if lines."""

    def __init__(self, *answers, delay=0.0):
        super().__init__()
        self.answers = list(answers)
        self.delay = delay
        self.lines = []
        self.prompts = []
        self.asked = threading.Event()

    def write_line(self, line=None, foreground_color=None, background_color=None):
        self.lines.append(line)

    def prompt_for_choice(self, caption, message, choices, default_choice=-1):
        self.prompts.append((caption, message, [(c.Label, c.HelpMessage) for c in choices], default_choice))
        self.asked.set()
        time.sleep(self.delay)
        return self.answers.pop(0)


class NoChoiceUI(psrp.PSHostUI):
    """A UI without prompt_for_choice: pypsrp answers with `me`."""


def run(tmp_path, ui, kind, times, text="web", host=True, **common):
    def go():
        log = str(tmp_path / "serve.log")
        conn = psrp.ProcessInfo(SERVE, ["serve", "--module", MODULE, "--log", log])
        pool = psrp.SyncRunspacePool(conn, host=psrp.PSHost(ui=ui)) if host else psrp.SyncRunspacePool(conn)
        with pool as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_command("Invoke-CimMethod").add_parameters(
                ClassName="XYZ_Widget",
                MethodName="Ask",
                Arguments={"Kind": kind, "Times": times, "Text": text},
                **common,
            )
            try:
                out = ps.invoke()
            except psrp.PipelineFailed as e:
                return None, ps, e
            return out, ps, None

    return bounded(go)


def result(out):
    assert len(out) == 1, out
    o = out[0]
    return int(o.ReturnValue), [int(c) for c in o.Codes], [bool(a) for a in o.Answers]


def test_confirm_asks_then_yes_to_all_answers_the_rest(tmp_path):
    ui = UI(0, 1)
    out, ps, err = run(tmp_path, ui, 0, 3, Confirm=True)
    assert err is None and ps.state == PSInvocationState.Completed
    assert [p[1] for p in ui.prompts] == [CONFIRM + OWN, CONFIRM + WEB]
    for caption, _, choices, default in ui.prompts:
        assert caption == "Confirm" and choices == FOUR and default == 0
    assert result(out) == (3, [0, 0, 0], [True, True, True])


def test_no_means_the_provider_is_not_called(tmp_path):
    ui = UI(2)
    out, ps, err = run(tmp_path, ui, 0, 1, Confirm=True)
    assert err is None and out == [] and ps.state == PSInvocationState.Completed
    assert len(ui.prompts) == 1 and list(ps.streams.error) == []


def test_what_if_writes_the_line_and_asks_nothing(tmp_path):
    ui = UI()
    out, ps, err = run(tmp_path, ui, 0, 1, WhatIf=True)
    assert err is None and out == [] and ui.prompts == []
    assert ui.lines == ["What if: " + OWN]


def test_without_confirm_nothing_is_asked(tmp_path):
    ui = UI()
    out, ps, err = run(tmp_path, ui, 0, 2)
    assert ui.prompts == [] and result(out) == (2, [0, 0], [True, True])


def test_should_continue_always_asks_two_choices(tmp_path):
    ui = UI(1, 0)
    out, ps, err = run(tmp_path, ui, 1, 2, text="Wipe it?")
    assert [p[1] for p in ui.prompts] == ["Wipe it?", "Wipe it?"]
    assert ui.prompts[0][2] == [FOUR[0], FOUR[2]]
    assert result(out) == (1, [0, 0], [False, True])


def test_a_client_without_a_host_gets_the_host_exception(tmp_path):
    out, ps, err = run(tmp_path, None, 1, 1, host=False)
    assert err is not None and ps.state == PSInvocationState.Failed
    rec = err.error_record
    assert str(rec.FullyQualifiedErrorId).startswith("HostFunctionNotImplemented,"), rec
    assert "does not support user interaction" in str(rec.Exception.Message)


def test_a_host_that_cannot_choose_fails_the_pipeline(tmp_path):
    out, ps, err = run(tmp_path, NoChoiceUI(), 1, 1)
    assert err is not None and ps.state == PSInvocationState.Failed
    assert str(err.error_record.FullyQualifiedErrorId) == "RemoteHostExecutionException"


def test_stop_while_the_provider_waits(tmp_path):
    ui = UI(0, delay=3.0)

    def go():
        log = str(tmp_path / "serve.log")
        conn = psrp.ProcessInfo(SERVE, ["serve", "--module", MODULE, "--log", log])
        with psrp.SyncRunspacePool(conn, host=psrp.PSHost(ui=ui)) as rp:
            ps = psrp.SyncPowerShell(rp)
            ps.add_command("Invoke-CimMethod").add_parameters(
                ClassName="XYZ_Widget", MethodName="Ask", Arguments={"Kind": 1, "Times": 1, "Text": "x"}
            )
            stopper = threading.Thread(target=lambda: (ui.asked.wait(TIMEOUT), ps.stop()), daemon=True)
            stopper.start()
            with pytest.raises(psrp.PipelineStopped):
                ps.invoke()
            stopper.join(TIMEOUT)
            return ps

    ps = bounded(go)
    assert ps.state == PSInvocationState.Stopped
