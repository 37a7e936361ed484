"""Tests of the ctypes bindings; what they send is decoded by psrpcore, an
independent implementation of PSRP, as a PowerShell client would."""

import gc
import threading
import uuid

import psrpcore
import pytest
from psrpcore.types import ProgressRecordType

import mi_psrp
from mi_psrp import UNKNOWN, MiError, Pool

RPID = "6397709e-f7d6-c54d-9568-fd4656ae4820"
PID = "632aa393-254e-b24d-8288-4d968d0da65d"


def decode(wire: bytes):
    client = psrpcore.ClientRunspacePool()
    client.receive_data(psrpcore.PSRPPayload(bytes(wire), psrpcore.StreamType.default, None))
    events = []
    while (event := client.next_event()) is not None:
        events.append(event)
    return events


def test_records_decode_in_psrpcore_with_every_field():
    wire = bytearray()
    nasty = "treble clef\n _x0000_ \U0001d11e café \ud83c <&>"
    with Pool(RPID, wire.extend) as pool:
        pool.set_fragment_size(100)  # every record spans several fragments
        with pool.context(PID, activity_id=7, parent_activity_id=3) as ctx:
            assert ctx.activity_id == 7
            ctx.write_progress("Copying files", "copying a.txt", "1 of 2 copied", 50, 10)
            ctx.write_progress(nasty, None, None, UNKNOWN, UNKNOWN)
            ctx.write_progress("Copying files", "", "", 100, 0)
    events = decode(wire)
    assert [type(e).__name__ for e in events] == ["ProgressRecordEvent"] * 4
    assert all(e.runspace_pool_id == uuid.UUID(RPID) and e.pipeline_id == uuid.UUID(PID) for e in events)
    first, second, third, done = (e.record for e in events)
    assert (first.Activity, first.CurrentOperation, first.StatusDescription) == (
        "Copying files",
        "copying a.txt",
        "1 of 2 copied",
    )
    assert (first.ActivityId, first.ParentActivityId, first.PercentComplete, first.SecondsRemaining) == (7, 3, 50, 10)
    assert first.RecordType == ProgressRecordType.Processing
    # psrpcore gives surrogate pairs back as two code units: compare as UTF-16.
    utf16 = lambda s: s.encode("utf-16-le", "surrogatepass")  # noqa: E731
    assert utf16(second.Activity) == utf16(nasty)
    assert second.CurrentOperation is None and second.StatusDescription == " "
    assert (second.PercentComplete, second.SecondsRemaining) == (-1, -1)
    assert (third.CurrentOperation, third.StatusDescription) == ("", " ")
    assert done.RecordType == ProgressRecordType.Completed
    assert (done.Activity, done.StatusDescription, done.PercentComplete) == ("Copying files", " ", -1)


def test_bad_arguments_raise_the_mi_result():
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        with pytest.raises(MiError) as e:
            pool.context("not a guid")
        assert e.value.code == mi_psrp.MI_RESULT_INVALID_PARAMETER
        with pool.context(PID) as ctx:
            for args in [("",), (None,), ("a", None, None, 101), ("a", None, None, 1, 0x80000000)]:
                with pytest.raises(MiError) as e:
                    ctx.write_progress(*args)
                assert e.value.name == "MI_RESULT_INVALID_PARAMETER"
            with pytest.raises(ValueError):
                ctx.write_progress("a\0b")
            assert wire == b"", "a refused call sends nothing"
            ctx.post_result()
            with pytest.raises(MiError) as e:
                ctx.write_progress("late")
            assert e.value.code == mi_psrp.MI_RESULT_FAILED
        with pytest.raises(MiError) as e:
            Pool("{bad}", wire.extend)
        assert e.value.code == mi_psrp.MI_RESULT_INVALID_PARAMETER


def test_limits_coalescing_cancel_and_locale():
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        pool.set_max_message_size(1024)
        with pool.context(PID) as ctx:
            with pytest.raises(MiError) as e:
                ctx.write_progress("x" * 2000)
            assert e.value.code == mi_psrp.MI_RESULT_SERVER_LIMITS_EXCEEDED
            ctx.set_progress_interval(3_600_000)
            ctx.write_progress("a", None, "sent")
            ctx.write_progress("a", None, "held")
            assert [e.record.StatusDescription for e in decode(wire)] == ["sent"]
            wire.clear()
            ctx.flush()
            assert [e.record.StatusDescription for e in decode(wire)] == ["held"]
            assert not ctx.canceled()
            ctx.cancel(mi_psrp.MI_REASON_SHUTDOWN)
            assert ctx.canceled()
            assert ctx.get_locale() == "en-US"
            ctx.set_locale(0, "de-DE")
            assert ctx.get_locale(0) == "de-DE"
            assert not ctx.timed_out()


def test_a_sink_exception_surfaces_in_python():
    def broken(_fragment):
        raise RuntimeError("transport down")

    with Pool(RPID, broken) as pool:
        with pool.context(PID) as ctx:
            with pytest.raises(RuntimeError, match="transport down"):
                ctx.write_progress("a")
            ctx.set_progress_requested(False)


# ---------------------------------------------------------------- issue 12 item 13


def test_pool_exit_frees_every_context_and_the_pool_when_a_sink_raises():
    wire = bytearray()
    raised = []

    def sink(fragment):
        wire.extend(fragment)
        if closing and not raised:
            raised.append(True)
            raise RuntimeError("transport down")

    closing = False
    pid_b = "26377469-b36f-5a4e-ad9e-0650b745173f"
    with pytest.raises(RuntimeError, match="transport down"):
        with Pool(RPID, sink) as pool:
            a = pool.context(PID)
            b = pool.context(pid_b)
            a.write_progress("a")
            b.write_progress("b")
            closing = True
    assert raised, "the sink raised during __exit__"
    # Both contexts were freed, each sending its Completed record, then the pool.
    done = [e for e in decode(wire) if e.record.RecordType == ProgressRecordType.Completed]
    assert sorted(str(e.pipeline_id) for e in done) == sorted([PID, pid_b])
    assert a._handle is None and b._handle is None and pool._handle is None


def test_pool_exit_lets_the_with_body_exception_through_and_still_frees():
    def broken(_fragment):
        raise RuntimeError("sink")

    with pytest.raises(KeyError):
        with Pool(RPID, broken) as pool:
            ctx = pool.context(PID)
            ctx.set_progress_requested(False)
            ctx.set_progress_interval(0)
            raise KeyError("body")
    assert ctx._handle is None and pool._handle is None


def test_a_dropped_context_is_freed_and_sends_completed():
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        ctx = pool.context(PID)
        ctx.write_progress("Copying files", None, "1 of 2", 50)
        del ctx
        gc.collect()
        # Before the pool ends: the finalizer itself ended the operation.
        kinds = [e.record.RecordType for e in decode(wire)]
        assert kinds == [ProgressRecordType.Processing, ProgressRecordType.Completed]


def test_a_sink_error_is_raised_by_the_writing_call_on_its_thread_only():
    """Thread T's write makes the sink raise; while T is still inside that
    write, the main thread makes an unrelated call: it must return normally,
    and T's write must raise."""
    t_in_sink = threading.Event()
    main_done = threading.Event()
    wire = bytearray()
    t_result = []

    def sink(fragment):
        wire.extend(fragment)
        if threading.current_thread().name != "writer":
            return
        if not t_in_sink.is_set():
            t_in_sink.set()
            raise RuntimeError("only the writer's")
        # A later fragment of the same message: wait, inside T's write, for the
        # main thread's call to be over.
        assert main_done.wait(60)

    with Pool(RPID, sink) as pool:
        pool.set_fragment_size(64)  # T's message spans several fragments
        a = pool.context(PID)
        b = pool.context("26377469-b36f-5a4e-ad9e-0650b745173f")

        def writer():
            try:
                b.write_progress("x" * 200)
                t_result.append(None)
            except BaseException as e:  # noqa: BLE001 -- inspected below
                t_result.append(e)

        t = threading.Thread(target=writer, name="writer")
        t.start()
        assert t_in_sink.wait(60)
        try:
            assert a.canceled() is False  # the main thread's call: no error here
            a.set_progress_requested(True)
        finally:
            main_done.set()
            t.join(60)
        assert len(t_result) == 1 and isinstance(t_result[0], RuntimeError), t_result
        a.write_progress("after")  # nothing left over for the main thread either


@pytest.mark.parametrize(
    "call",
    [
        lambda ctx: ctx.write_progress("a", None, None, 2**32 + 50),
        lambda ctx: ctx.write_progress("a", None, None, 50, 2**32),
        lambda ctx: ctx.write_progress("a", None, None, -1),
        lambda ctx: ctx.set_progress_interval(2**32),
        lambda ctx: ctx.set_timeout(-1),
        lambda ctx: ctx.cancel(2**32 + 1),
        lambda ctx: ctx.post_result(2**32),
        lambda ctx: ctx.get_locale(2**32),
        lambda ctx: ctx.write_message(2**32, "m"),
        lambda ctx: ctx.write_error(2**32 + 2, "MI", "m"),
    ],
)
def test_integers_out_of_range_raise_instead_of_wrapping(call):
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        with pool.context(PID) as ctx:
            with pytest.raises(OverflowError):
                call(ctx)
            assert wire == b"", "nothing sent"
            assert not ctx.canceled(), "nothing done"
            ctx.write_progress("still usable")
            assert len(decode(wire)) == 1
            with pytest.raises(TypeError):
                ctx.write_progress("a", None, None, 1.5)


def test_ids_and_sizes_out_of_range_raise():
    with Pool(RPID, lambda _f: None) as pool:
        for bad in (2**31, -(2**31) - 1):
            with pytest.raises(OverflowError):
                pool.context(PID, activity_id=bad)
            with pytest.raises(OverflowError):
                pool.context(PID, parent_activity_id=bad)
        with pytest.raises(OverflowError):
            pool.set_fragment_size(2**32 + 100)
        with pytest.raises(OverflowError):
            pool.set_max_message_size(-1)


def test_a_pool_without_a_sink_is_refused_at_construction():
    with pytest.raises(TypeError):
        Pool(RPID, None)
    with pytest.raises(TypeError):
        Pool(RPID)
    with pytest.raises(TypeError):
        Pool(RPID, "not callable")
    with pytest.raises(TypeError):
        Pool(RPID, lambda _f: None, framed_sink=lambda _i, _f: None)
