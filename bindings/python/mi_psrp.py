"""Python bindings (ctypes) to mi-psrp's host API.

A host — or a test of a provider — opens a runspace pool whose sink receives
ready-to-send PSRP fragments, creates one context per operation, and drives
it. ``Context.write_progress`` calls the exported ``MI_Context_WriteProgress``,
exactly as a C provider would; a C provider loaded with ctypes is given
``Context.handle``, the context's ``MI_Context*``.

    from mi_psrp import Pool
    wire = bytearray()
    with Pool("6397709e-f7d6-c54d-9568-fd4656ae4820", wire.extend) as pool:
        with pool.context("632aa393-254e-b24d-8288-4d968d0da65d") as ctx:
            ctx.write_progress("Copying files", "copying a.txt", "1 of 2 copied", 50, 10)
    # wire now holds two PROGRESS_RECORD messages: the record, then Completed.

Errors. A call that gets anything but ``MI_RESULT_OK`` raises ``MiError``
with the ``MI_Result``. An integer outside its C type's range raises
``OverflowError`` (a non-integer ``TypeError``) before anything is called, so
nothing wraps. An exception raised by a Python callback (sink, object id
source, completion) cannot cross the C library: it is kept and raised again
by the binding call, *on the same thread*, during which the callback ran (the
first one wins, and the call's own ``MI_Result`` is then not raised). A
callback that runs during no binding call — because a C provider wrote
through ``Context.handle`` on its own thread — reports its exception to
``sys.unraisablehook``.

The library is found through ``$MIPSRP_LIB`` (a path to libmi_psrp.so), then
the system's library search (``ctypes.util.find_library``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import os
import sys
import threading
import weakref
from ctypes import (
    POINTER,
    Structure,
    c_char,
    c_char_p,
    c_int32,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
    c_wchar,
)
from typing import Callable, NamedTuple, Optional

__all__ = [
    "Pool",
    "Context",
    "FragmentInfo",
    "MiError",
    "UNKNOWN",
    "NIL_PIPELINE_ID",
    "RESULT_NAMES",
    "MI_RESULT_OK",
    "MI_RESULT_FAILED",
    "MI_RESULT_ACCESS_DENIED",
    "MI_RESULT_INVALID_PARAMETER",
    "MI_RESULT_NOT_FOUND",
    "MI_RESULT_NOT_SUPPORTED",
    "MI_RESULT_SERVER_LIMITS_EXCEEDED",
    "MI_REASON_NONE",
    "MI_REASON_TIMEOUT",
    "MI_REASON_SHUTDOWN",
    "MI_REASON_SERVICESTOP",
    "MI_WRITEMESSAGE_CHANNEL_WARNING",
    "MI_WRITEMESSAGE_CHANNEL_VERBOSE",
    "MI_WRITEMESSAGE_CHANNEL_DEBUG",
    "MIPSRP_ERROR_ACTION_CONTINUE",
    "MIPSRP_ERROR_ACTION_STOP",
    "MIPSRP_ERROR_ACTION_IGNORE",
    "MIPSRP_ENDING_POST_RESULT",
    "MIPSRP_ENDING_POST_ERROR",
    "MIPSRP_ENDING_FREED",
]

MI_RESULT_OK = 0
MI_RESULT_FAILED = 1
MI_RESULT_ACCESS_DENIED = 2
MI_RESULT_INVALID_PARAMETER = 4
MI_RESULT_NOT_FOUND = 6
MI_RESULT_NOT_SUPPORTED = 7
MI_RESULT_SERVER_LIMITS_EXCEEDED = 27
RESULT_NAMES = {
    MI_RESULT_OK: "MI_RESULT_OK",
    MI_RESULT_FAILED: "MI_RESULT_FAILED",
    MI_RESULT_ACCESS_DENIED: "MI_RESULT_ACCESS_DENIED",
    MI_RESULT_INVALID_PARAMETER: "MI_RESULT_INVALID_PARAMETER",
    MI_RESULT_NOT_FOUND: "MI_RESULT_NOT_FOUND",
    MI_RESULT_NOT_SUPPORTED: "MI_RESULT_NOT_SUPPORTED",
    MI_RESULT_SERVER_LIMITS_EXCEEDED: "MI_RESULT_SERVER_LIMITS_EXCEEDED",
}

MI_REASON_NONE = 0
MI_REASON_TIMEOUT = 1
MI_REASON_SHUTDOWN = 2
MI_REASON_SERVICESTOP = 3

MI_WRITEMESSAGE_CHANNEL_WARNING = 0
MI_WRITEMESSAGE_CHANNEL_VERBOSE = 1
MI_WRITEMESSAGE_CHANNEL_DEBUG = 2

MIPSRP_ERROR_ACTION_CONTINUE = 0
MIPSRP_ERROR_ACTION_STOP = 1
MIPSRP_ERROR_ACTION_IGNORE = 2

#: How an operation ended (the ``ending`` of a completion callback).
MIPSRP_ENDING_POST_RESULT = 1
MIPSRP_ENDING_POST_ERROR = 2
MIPSRP_ENDING_FREED = 3

MIPSRP_WAIT_INFINITE = 0xFFFFFFFF

#: percentComplete / secondsRemaining value meaning "unknown" (sent as -1).
UNKNOWN = 0xFFFFFFFF
#: The pipeline id of the runspace pool itself: records of a context made
#: with it, and messages sent with ``Pool.send(..., None, ...)``, go to the pool.
NIL_PIPELINE_ID = "00000000-0000-0000-0000-000000000000"
MI_MAX_LOCALE_SIZE = 128

_U32_MAX = 0xFFFFFFFF
_U64_MAX = 0xFFFFFFFFFFFFFFFF


class _FragmentInfo(Structure):
    """``mipsrp_fragment_info``."""

    _fields_ = [
        ("object_id", c_uint64),
        ("fragment_id", c_uint64),
        ("message_type", c_uint32),
        ("start", c_uint8),
        ("end", c_uint8),
        ("pipeline_id", c_char * 37),
    ]


class FragmentInfo(NamedTuple):
    """What a framed sink is told about each fragment it receives."""

    object_id: int
    fragment_id: int
    #: PSRP message type of the fragment's message, e.g. 0x00041010.
    message_type: int
    #: First fragment of its message.
    start: bool
    #: Last fragment of its message.
    end: bool
    #: The message's pipeline id, lowercase D form; ``NIL_PIPELINE_ID`` for
    #: the runspace pool.
    pipeline_id: str


_SINK = ctypes.CFUNCTYPE(None, c_void_p, POINTER(c_uint8), c_size_t)
_FRAMED_SINK = ctypes.CFUNCTYPE(None, c_void_p, POINTER(_FragmentInfo), POINTER(c_uint8), c_size_t)
_OBJECT_ID_SOURCE = ctypes.CFUNCTYPE(c_uint64, c_void_p)
_COMPLETION = ctypes.CFUNCTYPE(None, c_void_p, c_void_p, c_uint32, c_uint32)


class MiError(Exception):
    """A call returned something other than MI_RESULT_OK."""

    def __init__(self, code: int, call: str):
        self.code = code
        self.name = RESULT_NAMES.get(code, f"MI_Result {code}")
        super().__init__(f"{call}: {self.name}")


# ---------------------------------------------------------------- callbacks
#
# Each thread inside a binding call has a list in `_calls.errors`; a Python
# callback that raises on that thread appends its exception there and the
# call raises the first one when the C function returns. Nested binding calls
# (a sink that calls `ctx.canceled()`) each get their own list.

_calls = threading.local()


def _report(error: BaseException, where: str) -> None:
    """Hands a callback's exception to the binding call under way on this
    thread, or to ``sys.unraisablehook`` when there is none."""
    pending = getattr(_calls, "errors", None)
    if pending is not None:
        pending.append(error)
    else:
        sys.unraisablehook(_Unraisable(type(error), error, error.__traceback__, f"mi_psrp {where}", None))


class _Unraisable(NamedTuple):
    exc_type: type
    exc_value: BaseException
    exc_traceback: object
    err_msg: str
    object: object


def _invoke(fn, *args) -> int:
    """Calls the C function ``fn``; re-raises a callback's exception first."""
    outer = getattr(_calls, "errors", None)
    _calls.errors = errors = []
    try:
        code = fn(*args)
    finally:
        _calls.errors = outer
    if errors:
        raise errors[0]
    return code


def _check(code: int, call: str) -> None:
    if code != MI_RESULT_OK:
        raise MiError(code, call)


# ---------------------------------------------------------------- arguments


def _int(name: str, value, low: int, high: int) -> int:
    """``value`` as an int in ``low..=high``: TypeError for a non-integer,
    OverflowError outside the range (the C type would wrap it)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not low <= value <= high:
        raise OverflowError(f"{name} must be in {low}..{high}, got {value}")
    return value


def _u32(name: str, value) -> int:
    return _int(name, value, 0, _U32_MAX)


def _i32(name: str, value) -> int:
    return _int(name, value, -(2**31), 2**31 - 1)


def _text(s: Optional[str]) -> Optional[str]:
    if s is not None and "\0" in s:
        raise ValueError("a string passed to mi-psrp cannot contain NUL")
    return s


def _guid(name: str, value: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{name} cannot contain NUL")
    return value.encode()


# ---------------------------------------------------------------- library


def _load(path: Optional[str] = None) -> ctypes.CDLL:
    path = path or os.environ.get("MIPSRP_LIB") or ctypes.util.find_library("mi_psrp")
    if not path:
        raise OSError("libmi_psrp not found: set MIPSRP_LIB to the path of libmi_psrp.so")
    lib = ctypes.CDLL(path)  # CDLL releases the GIL during every call
    ctx = c_void_p
    for name, args in {
        "mipsrp_pool_new": [c_char_p, _SINK, c_void_p, POINTER(c_void_p)],
        "mipsrp_pool_new_framed": [c_char_p, _FRAMED_SINK, c_void_p, POINTER(c_void_p)],
        "mipsrp_pool_set_fragment_size": [c_void_p, c_uint32],
        "mipsrp_pool_set_max_message_size": [c_void_p, c_uint32],
        "mipsrp_pool_send": [c_void_p, c_uint32, c_char_p, c_char_p, c_size_t],
        "mipsrp_pool_set_object_id_source": [c_void_p, _OBJECT_ID_SOURCE, c_void_p],
        "mipsrp_pool_transport_gone": [c_void_p],
        "mipsrp_context_new": [c_void_p, c_char_p, c_int32, c_int32, POINTER(c_void_p)],
        "mipsrp_context_new_ex": [c_void_p, c_char_p, c_int32, c_int32, c_size_t, POINTER(c_void_p)],
        "mipsrp_context_get_activity_id": [ctx, POINTER(c_int32)],
        "mipsrp_context_set_progress_requested": [ctx, c_uint8],
        "mipsrp_context_set_progress_interval": [ctx, c_uint32],
        "mipsrp_context_set_timeout": [ctx, c_uint32],
        "mipsrp_context_timed_out": [ctx, POINTER(c_uint8)],
        "mipsrp_context_cancel": [ctx, c_uint32],
        # Provider strings are c_void_p: a str goes as wchar_t*, bytes as char*
        # (see Context._str: each context passes its own character type).
        "mipsrp_context_set_locale": [ctx, c_uint32, c_void_p],
        "mipsrp_context_flush": [ctx],
        "mipsrp_context_set_message_requested": [ctx, c_uint32, c_uint8],
        "mipsrp_context_set_error_action": [ctx, c_uint32],
        "mipsrp_context_get_outcome": [ctx, POINTER(c_uint32), POINTER(c_char_p), POINTER(c_char_p)],
        "mipsrp_context_set_completion": [ctx, _COMPLETION, c_void_p],
        "mipsrp_context_wait": [ctx, c_uint32, POINTER(c_uint32)],
        "mipsrp_context_transport_gone": [ctx],
        "MI_Context_WriteProgress": [ctx, c_void_p, c_void_p, c_void_p, c_uint32, c_uint32],
        "MI_Context_WriteMessage": [ctx, c_uint32, c_void_p],
        "MI_Context_WriteError": [ctx, c_uint32, c_void_p, c_void_p, POINTER(c_uint8)],
        "MI_Context_PostResult": [ctx, c_uint32],
        "MI_Context_PostError": [ctx, c_uint32, c_void_p, c_void_p],
        "MI_Context_Canceled": [ctx, POINTER(c_uint8)],
        "MI_Context_GetLocale": [ctx, c_uint32, c_void_p],
    }.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = c_uint32
    for name in ("mipsrp_pool_free", "mipsrp_context_free"):
        fn = getattr(lib, name)
        fn.argtypes = [c_void_p]
        fn.restype = None
    return lib


# ---------------------------------------------------------------- pool


class Pool:
    """A runspace pool: one PSRP connection's ObjectId counter, fragmenter,
    ordering and sink.

    Exactly one of the two sinks is given:

    - ``sink(fragment: bytes)`` receives every fragment, in order;
    - ``framed_sink(info: FragmentInfo, fragment: bytes)`` also receives what
      the fragment is (ObjectId, message type, pipeline id, start/end of its
      message), so a host can frame it for its transport without parsing
      PSRP headers.

    The sink runs on the thread that sent (a provider's writing thread, or
    the thread of a binding call), never two at once for one pool, and must
    not call back into this pool to send (the call fails with
    ``MI_RESULT_FAILED``). The ctypes callbacks are kept alive with the pool
    object, which every one of its contexts keeps alive.
    """

    def __init__(
        self,
        runspace_pool_id: str,
        sink: Optional[Callable[[bytes], None]] = None,
        framed_sink: Optional[Callable[[FragmentInfo, bytes], None]] = None,
        library: Optional[str] = None,
    ):
        self._handle = None
        if (sink is None) == (framed_sink is None):
            raise TypeError("Pool needs exactly one of sink and framed_sink")
        if not callable(sink if sink is not None else framed_sink):
            raise TypeError("the sink must be callable")
        rpid = _guid("runspace_pool_id", runspace_pool_id)
        self._lib = _load(library)
        self._contexts: "weakref.WeakValueDictionary[int, Context]" = weakref.WeakValueDictionary()
        self._context_keys = itertools.count()
        self._id_source = None
        handle = c_void_p()
        if sink is not None:

            def deliver(_user_data, fragment, length):
                try:
                    sink(ctypes.string_at(fragment, length))
                except BaseException as e:  # noqa: BLE001 -- raised again by the sending call
                    _report(e, "sink")

            self._callback = _SINK(deliver)
            code = _invoke(self._lib.mipsrp_pool_new, rpid, self._callback, None, ctypes.byref(handle))
            _check(code, "mipsrp_pool_new")
        else:

            def deliver_framed(_user_data, info, fragment, length):
                try:
                    i = info.contents
                    framed_sink(
                        FragmentInfo(
                            i.object_id,
                            i.fragment_id,
                            i.message_type,
                            bool(i.start),
                            bool(i.end),
                            i.pipeline_id.decode("ascii"),
                        ),
                        ctypes.string_at(fragment, length),
                    )
                except BaseException as e:  # noqa: BLE001 -- raised again by the sending call
                    _report(e, "framed sink")

            self._callback = _FRAMED_SINK(deliver_framed)
            code = _invoke(self._lib.mipsrp_pool_new_framed, rpid, self._callback, None, ctypes.byref(handle))
            _check(code, "mipsrp_pool_new_framed")
        self._handle = handle

    def _call(self, name: str, *args) -> None:
        if not self._handle:
            raise ValueError("the pool is closed")
        _check(_invoke(getattr(self._lib, name), self._handle, *args), name)

    def set_fragment_size(self, size: int) -> None:
        self._call("mipsrp_pool_set_fragment_size", _u32("size", size))

    def set_max_message_size(self, size: int) -> None:
        self._call("mipsrp_pool_set_max_message_size", _u32("size", size))

    def send(self, message_type: int, pipeline_id: Optional[str], data: bytes) -> None:
        """Sends one PSRP message (Destination: client) of the host's own —
        session capability, states, output — whose data (what follows the
        40-byte message header) is ``data``, with the pool's next ObjectId,
        fragmented and ordered with the contexts' records. ``pipeline_id``
        None sends on the runspace pool."""
        data = bytes(data)
        pid = None if pipeline_id is None else _guid("pipeline_id", pipeline_id)
        self._call("mipsrp_pool_send", _u32("message_type", message_type), pid, data, len(data))

    def set_object_id_source(self, source: Optional[Callable[[], int]]) -> None:
        """Takes each message's ObjectId from ``source()`` (called once per
        message, under the pool's send lock, just before its first fragment
        goes to the sink) — for a host whose own PSRP library owns the
        counter. A value that is 0 or not above the last ObjectId sent
        refuses the message (the sending call fails with MI_RESULT_FAILED);
        so does an exception, which the sending call raises. None: the pool's
        own counter again."""
        if source is None:
            callback = _OBJECT_ID_SOURCE()  # NULL
        else:
            if not callable(source):
                raise TypeError("source must be callable or None")

            def next_id(_user_data):
                try:
                    return _int("object id", source(), 0, _U64_MAX)
                except BaseException as e:  # noqa: BLE001 -- raised again by the sending call
                    _report(e, "object id source")
                    return 0

            callback = _OBJECT_ID_SOURCE(next_id)
        self._call("mipsrp_pool_set_object_id_source", callback, None)
        # The library stops calling the old one before the call returns.
        self._id_source = callback

    def transport_gone(self) -> None:
        """The client went away: every live and later context of the pool is
        canceled (MI_REASON_SERVICESTOP), its writes fail, and nothing more
        reaches the sink; ``send`` fails from now on."""
        self._call("mipsrp_pool_transport_gone")

    def context(
        self, pipeline_id: str, activity_id: int = -1, parent_activity_id: int = -1, utf8: bool = False
    ) -> "Context":
        """A context for one operation of pipeline ``pipeline_id``
        (``NIL_PIPELINE_ID``: records on the runspace pool). ``utf8``: the
        context of a UTF-8 provider (``MI_CHAR_TYPE 1``, OMI's default; its
        slots read ``char`` strings); otherwise of a wide one (``wchar_t``)."""
        return Context(self, pipeline_id, activity_id, parent_activity_id, utf8)

    def close(self) -> None:
        """Frees the pool handle (open contexts keep the pool alive)."""
        if self._handle:
            handle, self._handle = self._handle, None
            _invoke(self._lib.mipsrp_pool_free, handle)

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        """Frees every context still open (each sends its Completed records),
        then the pool — all of them even when a sink raises — then raises the
        first such error, unless the ``with`` body is already raising."""
        errors = []
        for ctx in list(self._contexts.values()):
            try:
                ctx.close()
            except BaseException as e:  # noqa: BLE001 -- re-raised below
                errors.append(e)
        try:
            self.close()
        except BaseException as e:  # noqa: BLE001 -- re-raised below
            errors.append(e)
        if errors and exc is None:
            raise errors[0]

    def __del__(self) -> None:
        if getattr(self, "_handle", None):
            self.close()


# ---------------------------------------------------------------- context


class Context:
    """The MI_Context of one operation. Freed by ``close()``, by ``with``, by
    its pool's ``with``, or when garbage collected: an operation not yet
    ended is ended then (held record, then Completed)."""

    def __init__(self, pool: Pool, pipeline_id: str, activity_id: int, parent_activity_id: int, utf8: bool = False):
        self._handle = None
        self.utf8 = bool(utf8)
        self._completion = None
        pid = _guid("pipeline_id", pipeline_id)
        activity_id = _i32("activity_id", activity_id)
        parent_activity_id = _i32("parent_activity_id", parent_activity_id)
        if not pool._handle:
            raise ValueError("the pool is closed")
        self._pool = pool  # the pool (its sink callback) lives as long as this context
        self._lib = pool._lib
        handle = c_void_p()
        char_size = 1 if self.utf8 else ctypes.sizeof(c_wchar)
        code = _invoke(
            self._lib.mipsrp_context_new_ex,
            pool._handle,
            pid,
            activity_id,
            parent_activity_id,
            char_size,
            ctypes.byref(handle),
        )
        _check(code, "mipsrp_context_new_ex")
        self._handle = handle
        pool._contexts[next(pool._context_keys)] = self

    @property
    def handle(self) -> c_void_p:
        """The ``MI_Context*``, to pass to a C provider loaded with ctypes.
        Valid until the context is closed; keep this object alive meanwhile."""
        if not self._handle:
            raise ValueError("the context is closed")
        return self._handle

    def _str(self, s):
        """A string argument in this context's character type: ``str`` for
        either (UTF-8 contexts get it encoded, lone surrogates as their
        3-byte forms, which mi-psrp reads as U+FFFD, as .NET would); ``bytes``
        for a UTF-8 context, passed as they are (a Linux file name, say:
        invalid UTF-8 becomes U+FFFD); None for NULL."""
        if s is None:
            return None
        if isinstance(s, bytes):
            if not self.utf8:
                raise TypeError("bytes are for a UTF-8 context; pass a str to a wide one")
            if b"\0" in s:
                raise ValueError("a string passed to mi-psrp cannot contain NUL")
            return s
        if not isinstance(s, str):
            raise TypeError(f"a string argument must be str or bytes, not {type(s).__name__}")
        _text(s)
        return s.encode("utf-8", "surrogatepass") if self.utf8 else s

    def _call(self, name: str, *args) -> int:
        if not self._handle:
            raise ValueError("the context is closed")
        code = _invoke(getattr(self._lib, name), self._handle, *args)
        _check(code, name)
        return code

    @property
    def activity_id(self) -> int:
        value = c_int32()
        self._call("mipsrp_context_get_activity_id", ctypes.byref(value))
        return value.value

    # -- what a provider calls

    def write_progress(
        self,
        activity: Optional[str],
        current_operation: Optional[str] = None,
        status_description: Optional[str] = None,
        percent_complete: int = UNKNOWN,
        seconds_remaining: int = UNKNOWN,
    ) -> None:
        """``MI_Context_WriteProgress``; raises MiError with the MI_Result."""
        self._call(
            "MI_Context_WriteProgress",
            self._str(activity),
            self._str(current_operation),
            self._str(status_description),
            _u32("percent_complete", percent_complete),
            _u32("seconds_remaining", seconds_remaining),
        )

    def write_message(self, channel: int, message: Optional[str]) -> None:
        """``MI_Context_WriteMessage``: a warning (0), verbose (1) or debug (2) record."""
        self._call("MI_Context_WriteMessage", _u32("channel", channel), self._str(message))

    def write_error(self, result_code: int, result_type: Optional[str], message: Optional[str]) -> bool:
        """``MI_Context_WriteError``; returns its flag (True: continue)."""
        flag = c_uint8()
        self._call(
            "MI_Context_WriteError",
            _u32("result_code", result_code),
            self._str(result_type),
            self._str(message),
            ctypes.byref(flag),
        )
        return bool(flag.value)

    def post_result(self, result: int = MI_RESULT_OK) -> None:
        self._call("MI_Context_PostResult", _u32("result", result))

    def post_error(self, result_code: int, result_type: Optional[str], message: Optional[str]) -> None:
        """``MI_Context_PostError``: ends the operation with an error record."""
        self._call("MI_Context_PostError", _u32("result_code", result_code), self._str(result_type), self._str(message))

    def canceled(self) -> bool:
        flag = c_uint8()
        self._call("MI_Context_Canceled", ctypes.byref(flag))
        return bool(flag.value)

    def get_locale(self, locale_type: int = 0) -> str:
        if self.utf8:
            buf = ctypes.create_string_buffer(MI_MAX_LOCALE_SIZE)
            self._call("MI_Context_GetLocale", _u32("locale_type", locale_type), buf)
            return buf.value.decode("utf-8", "replace")
        wbuf = (c_wchar * MI_MAX_LOCALE_SIZE)()
        self._call("MI_Context_GetLocale", _u32("locale_type", locale_type), wbuf)
        return wbuf.value

    # -- what a host calls

    def set_locale(self, locale_type: int, locale: str) -> None:
        self._call("mipsrp_context_set_locale", _u32("locale_type", locale_type), self._str(locale))

    def set_progress_requested(self, requested: bool) -> None:
        self._call("mipsrp_context_set_progress_requested", 1 if requested else 0)

    def set_message_requested(self, channel: int, requested: bool) -> None:
        self._call("mipsrp_context_set_message_requested", _u32("channel", channel), 1 if requested else 0)

    def set_error_action(self, action: int) -> None:
        self._call("mipsrp_context_set_error_action", _u32("action", action))

    def set_progress_interval(self, milliseconds: int) -> None:
        self._call("mipsrp_context_set_progress_interval", _u32("milliseconds", milliseconds))

    def set_timeout(self, milliseconds: int) -> None:
        self._call("mipsrp_context_set_timeout", _u32("milliseconds", milliseconds))

    def timed_out(self) -> bool:
        flag = c_uint8()
        self._call("mipsrp_context_timed_out", ctypes.byref(flag))
        return bool(flag.value)

    def cancel(self, reason: int = MI_REASON_NONE) -> None:
        """``mipsrp_context_cancel``: the provider's cancel callback runs
        once, on this thread, with ``reason``."""
        self._call("mipsrp_context_cancel", _u32("reason", reason))

    def flush(self) -> None:
        self._call("mipsrp_context_flush")

    def transport_gone(self) -> None:
        """The client of this operation went away: the provider is canceled
        (MI_REASON_SERVICESTOP), its writes fail, nothing more is sent."""
        self._call("mipsrp_context_transport_gone")

    def outcome(self) -> Optional[tuple[int, Optional[str], Optional[str]]]:
        """``(result, result_type, message)`` once the provider ended the
        operation (result_type and message are None for PostResult), else None."""
        result, result_type, message = c_uint32(), c_char_p(), c_char_p()
        if not self._handle:
            raise ValueError("the context is closed")
        code = _invoke(
            self._lib.mipsrp_context_get_outcome,
            self._handle,
            ctypes.byref(result),
            ctypes.byref(result_type),
            ctypes.byref(message),
        )
        if code == MI_RESULT_NOT_FOUND:
            return None
        _check(code, "mipsrp_context_get_outcome")

        def text(p: c_char_p) -> Optional[str]:
            return None if p.value is None else p.value.decode("utf-8")

        return result.value, text(result_type), text(message)

    def on_complete(self, callback: Optional[Callable[[int, int], None]]) -> None:
        """Calls ``callback(result, ending)`` once, when the operation ends
        (``ending``: MIPSRP_ENDING_POST_RESULT, _POST_ERROR or _FREED), after
        its last record went to the sink, on the thread that ended it — the
        provider's, or this context's ``close()`` — with no mi-psrp lock held;
        at once, on this thread, if it has already ended. The callback must
        not close the context. None clears it."""
        if callback is None:
            native = _COMPLETION()  # NULL
        else:
            if not callable(callback):
                raise TypeError("callback must be callable or None")

            def completed(_user_data, _context, result, ending):
                try:
                    callback(result, ending)
                except BaseException as e:  # noqa: BLE001 -- raised again by the ending call
                    _report(e, "completion callback")

            native = _COMPLETION(completed)
        # Kept before the call: it may run the callback at once.
        previous, self._completion = self._completion, native
        try:
            self._call("mipsrp_context_set_completion", native, None)
        except BaseException:
            self._completion = previous
            raise

    def wait(self, timeout_seconds: Optional[float] = None) -> Optional[int]:
        """Blocks (without the GIL) until the provider ended the operation
        (PostResult or PostError) and returns its result, or returns None when
        ``timeout_seconds`` (None: no limit) passed first."""
        if timeout_seconds is None:
            ms = MIPSRP_WAIT_INFINITE
        else:
            if timeout_seconds < 0:
                raise ValueError("timeout_seconds cannot be negative")
            ms = _int("timeout_seconds * 1000", int(timeout_seconds * 1000), 0, MIPSRP_WAIT_INFINITE - 1)
        result = c_uint32()
        if not self._handle:
            raise ValueError("the context is closed")
        code = _invoke(self._lib.mipsrp_context_wait, self._handle, ms, ctypes.byref(result))
        if code == MI_RESULT_NOT_FOUND:
            return None
        _check(code, "mipsrp_context_wait")
        return result.value

    def close(self) -> None:
        """Frees the context; an operation not yet ended is ended first
        (held record, then Completed; the completion callback runs here)."""
        if self._handle:
            handle, self._handle = self._handle, None
            _invoke(self._lib.mipsrp_context_free, handle)

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        # An exception of a callback run here goes to sys.unraisablehook.
        if getattr(self, "_handle", None):
            self.close()
