"""Tests of the ctypes bindings; what they send is decoded by psrpcore, an
independent implementation of PSRP, as a PowerShell client would."""

import ctypes
import gc
import os
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


# ---------------------------------------------------------------- issue 10: the host calls

NIL = mi_psrp.NIL_PIPELINE_ID
PIPELINE_OUTPUT = 0x00041004


def output_message(value: str) -> bytes:
    """A PIPELINE_OUTPUT message's data (BOM-less CLIXML), as a host sends it."""
    return f"<S>{value}</S>".encode()


def unpack(wire: bytes):
    """(object_id, fragment_id, start, end, message_type, pid) of each fragment."""
    out, offset = [], 0
    while offset < len(wire):
        oid, fid = int.from_bytes(wire[offset : offset + 8], "big"), int.from_bytes(wire[offset + 8 : offset + 16], "big")
        flags, length = wire[offset + 16], int.from_bytes(wire[offset + 17 : offset + 21], "big")
        blob = wire[offset + 21 : offset + 21 + length]
        mtype = pid = None
        if flags & 1:
            mtype = int.from_bytes(blob[4:8], "little")
            pid = str(uuid.UUID(bytes_le=bytes(blob[24:40])))
        out.append((oid, fid, bool(flags & 1), bool(flags & 2), mtype, pid))
        offset += 21 + length
    return out


def test_framed_sink_says_what_each_fragment_is():
    infos, wire = [], bytearray()

    def framed(info, fragment):
        infos.append(info)
        wire.extend(fragment)

    with Pool(RPID, framed_sink=framed) as pool:
        pool.set_fragment_size(64)
        with pool.context(PID) as ctx:
            ctx.write_progress("Copying files", "a", "b", 1, 2)
            ctx.write_message(mi_psrp.MI_WRITEMESSAGE_CHANNEL_WARNING, "careful")
        with pool.context(NIL) as ctx:
            ctx.write_message(mi_psrp.MI_WRITEMESSAGE_CHANNEL_VERBOSE, "on the pool")
    frags = unpack(bytes(wire))
    assert len(infos) == len(frags) > 6
    message_type = pid = None
    for info, (oid, fid, start, end, mtype, mpid) in zip(infos, frags):
        if start:
            message_type, pid = mtype, mpid
        assert (info.object_id, info.fragment_id, info.start, info.end) == (oid, fid, start, end)
        assert (info.message_type, info.pipeline_id) == (message_type, pid)
    assert [i.message_type for i in infos if i.start] == [0x00041010, 0x00041009, 0x00041010, 0x00041008]
    assert [i.pipeline_id for i in infos if i.start] == [PID, PID, PID, NIL]
    # What psrpcore decodes: the nil pipeline id is a record of the pool.
    events = decode(wire)
    assert events[-1].pipeline_id is None and events[-1].record.Message == "on the pool"


def test_pool_send_shares_the_counter_and_order_with_records():
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        pool.set_fragment_size(64)
        with pool.context(PID) as ctx:
            ctx.write_progress("a")
            pool.send(PIPELINE_OUTPUT, PID, output_message("between"))
            ctx.write_progress("b")
        pool.send(0x00021005, None, b'<Obj RefId="0"><MS><I32 N="RunspaceState">2</I32></MS></Obj>')
        with pytest.raises(MiError) as e:
            pool.send(PIPELINE_OUTPUT, "not a guid", b"")
        assert e.value.code == mi_psrp.MI_RESULT_INVALID_PARAMETER
        pool.set_max_message_size(1024)
        with pytest.raises(MiError) as e:
            pool.send(PIPELINE_OUTPUT, PID, b"x" * 2000)
        assert e.value.code == mi_psrp.MI_RESULT_SERVER_LIMITS_EXCEEDED
        with pytest.raises(OverflowError):
            pool.send(2**32, PID, b"")
    starts = [f for f in unpack(bytes(wire)) if f[2]]
    assert [f[0] for f in starts] == [1, 2, 3, 4, 5], "one counter, no gap"
    events = decode(wire)
    names = [type(e).__name__ for e in events]
    assert names == ["ProgressRecordEvent", "PipelineOutputEvent", "ProgressRecordEvent", "ProgressRecordEvent", "RunspacePoolStateEvent"]
    assert events[1].data == "between" and events[1].pipeline_id == uuid.UUID(PID)
    assert events[4].pipeline_id is None


def test_object_id_source_numbers_messages_and_refuses_bad_ids():
    wire = bytearray()
    ids = iter([10, 20, 20, 5])
    with Pool(RPID, wire.extend) as pool:
        with pool.context(PID) as ctx:
            pool.set_object_id_source(lambda: next(ids))
            ctx.write_progress("a")  # 10
            pool.send(PIPELINE_OUTPUT, PID, output_message("x"))  # 20
            for _ in range(2):  # 20 again, then 5: refused, nothing sent
                with pytest.raises(MiError) as e:
                    ctx.write_progress("refused")
                assert e.value.code == mi_psrp.MI_RESULT_FAILED

            def broken():
                raise LookupError("no id")

            pool.set_object_id_source(broken)
            with pytest.raises(LookupError):
                ctx.write_progress("refused")
            pool.set_object_id_source(lambda: 2**64)
            with pytest.raises(OverflowError):
                ctx.write_progress("refused")
            pool.set_object_id_source(None)  # own counter, after the last sent
            ctx.write_progress("b")
            ctx.set_progress_requested(False)  # no Completed record
    assert [f[0] for f in unpack(bytes(wire)) if f[2]] == [10, 20, 21]
    assert [getattr(getattr(e, "record", None), "Activity", None) for e in decode(wire)] == ["a", None, "b"]


@pytest.mark.parametrize("ending", ["post_result", "post_error", "freed"])
def test_on_complete_runs_once_after_the_last_record_on_the_ending_thread(ending):
    wire = bytearray()
    calls = []
    with Pool(RPID, wire.extend) as pool:
        ctx = pool.context(PID)
        ctx.on_complete(lambda result, how: calls.append((result, how, threading.get_ident(), len(decode(wire)))))
        ctx.write_progress("a")

        def end():
            if ending == "post_result":
                ctx.post_result(mi_psrp.MI_RESULT_NOT_FOUND)
            elif ending == "post_error":
                ctx.post_error(mi_psrp.MI_RESULT_ACCESS_DENIED, "MI", "denied")
            else:
                ctx.close()

        t = threading.Thread(target=end)
        t.start()
        t.join(60)
        ctx.close()
        assert len(calls) == 1
        result, how, thread, records_sent = calls[0]
        assert thread == t.ident, "on the thread that ended the operation"
        assert records_sent == len(decode(wire)), "after its last record"
        assert how == {
            "post_result": mi_psrp.MIPSRP_ENDING_POST_RESULT,
            "post_error": mi_psrp.MIPSRP_ENDING_POST_ERROR,
            "freed": mi_psrp.MIPSRP_ENDING_FREED,
        }[ending]
        if ending != "freed":
            assert result == (mi_psrp.MI_RESULT_NOT_FOUND if ending == "post_result" else mi_psrp.MI_RESULT_ACCESS_DENIED)


def test_on_complete_after_the_end_runs_at_once_and_its_error_is_raised_there():
    with Pool(RPID, lambda _f: None) as pool:
        with pool.context(PID) as ctx:
            ctx.post_result()
            calls = []
            ctx.on_complete(lambda result, how: calls.append((result, how, threading.get_ident())))
            assert calls == [(mi_psrp.MI_RESULT_OK, mi_psrp.MIPSRP_ENDING_POST_RESULT, threading.get_ident())]

            def broken(_result, _how):
                raise ZeroDivisionError

            with pytest.raises(ZeroDivisionError):
                ctx.on_complete(broken)
            with pytest.raises(TypeError):
                ctx.on_complete(42)


def test_wait_returns_the_result_or_none_on_timeout():
    with Pool(RPID, lambda _f: None) as pool:
        with pool.context(PID) as ctx:
            assert ctx.wait(0) is None, "still going on"
            with pytest.raises(OverflowError):
                ctx.wait(2**32)
            with pytest.raises(ValueError):
                ctx.wait(-1)
            t = threading.Thread(target=lambda: ctx.post_result(mi_psrp.MI_RESULT_ACCESS_DENIED))
            t.start()
            assert ctx.wait() == mi_psrp.MI_RESULT_ACCESS_DENIED
            t.join(60)
            assert ctx.wait(0) == mi_psrp.MI_RESULT_ACCESS_DENIED
            assert ctx.outcome() == (mi_psrp.MI_RESULT_ACCESS_DENIED, None, None)


def test_transport_gone_cancels_and_stops_sending():
    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        a, b = pool.context(PID), pool.context(NIL)
        a.write_progress("a")
        sent = len(wire)
        a.transport_gone()
        assert a.canceled()
        with pytest.raises(MiError) as e:
            a.write_progress("lost")
        assert e.value.code == mi_psrp.MI_RESULT_FAILED
        a.post_result()  # ends, sends nothing (no Completed)
        assert a.wait(0) == mi_psrp.MI_RESULT_OK
        assert len(wire) == sent
        b.write_progress("b")
        pool.transport_gone()
        later = pool.context(PID)
        assert b.canceled() and later.canceled()
        with pytest.raises(MiError) as e:
            pool.send(PIPELINE_OUTPUT, PID, output_message("x"))
        assert e.value.code == mi_psrp.MI_RESULT_FAILED
        sent = len(wire)
    assert len(wire) == sent, "nothing after the transport went, not even Completed"


def test_context_handle_is_an_mi_context_pointer_for_c():
    wire = bytearray()
    lib = ctypes.CDLL(os.environ["MIPSRP_LIB"])
    with Pool(RPID, wire.extend) as pool:
        with pool.context(PID) as ctx:
            assert isinstance(ctx.handle, ctypes.c_void_p)
            # As a C provider loaded with ctypes would call it.
            code = lib.MI_Context_WriteMessage(ctx.handle, ctypes.c_uint32(0), ctypes.c_wchar_p("from C"))
            assert code == mi_psrp.MI_RESULT_OK
        with pytest.raises(ValueError):
            ctx.handle
    assert decode(wire)[0].record.Message == "from C"


def test_a_utf8_context_sends_what_a_wide_one_does():
    """Issue 9: a UTF-8 provider and a wide one that write the same text
    produce identical bytes on the wire; bytes that are not UTF-8 (a Linux
    file name) are read as .NET reads them, each bad sequence as U+FFFD."""
    text = "treble clef \U0001d11e café <&> _x0041_"
    wires = []
    for utf8 in (False, True):
        wire = bytearray()
        with Pool(RPID, wire.extend) as pool:
            with pool.context(PID, activity_id=5, utf8=utf8) as ctx:
                assert ctx.utf8 is utf8
                ctx.write_progress(text, text, text, 10, 20)
                ctx.write_message(0, text)
                assert ctx.write_error(6, "MI", text) is True
                assert ctx.get_locale() == "en-US"
                ctx.post_error(6, "MI", text)
        wires.append(bytes(wire))
    assert wires[0] == wires[1]
    kinds = [type(e).__name__ for e in decode(wires[1])]
    assert kinds == ["ProgressRecordEvent", "WarningRecordEvent", "ErrorRecordEvent", "ErrorRecordEvent", "ProgressRecordEvent"]

    wire = bytearray()
    with Pool(RPID, wire.extend) as pool:
        with pool.context(PID, utf8=True) as ctx:
            ctx.write_progress(b"file \xff\xe2\x82 name", None, b"ok")
            with pytest.raises(TypeError):
                pool.context(PID).write_progress(b"bytes to a wide context")
    first = decode(wire)[0].record
    assert first.Activity == "file \ufffd\ufffd name"
    assert first.StatusDescription == "ok"
