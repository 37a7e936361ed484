"""Tests of the ctypes bindings; what they send is decoded by psrpcore, an
independent implementation of PSRP, as a PowerShell client would."""

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
