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

A host of provider *modules* (the shared libraries omigen generates, exporting
``MI_Main``) loads one with ``Module.load(path)`` and runs its operations on a
context of the module's character size; what the provider posts reaches the
sink as PIPELINE_OUTPUT messages (CimInstance, CimMethodResult,
CimMethodStreamedResult), in order with its records:

    with Module.load("libdemo_module.so") as module, Pool(rpid, wire.extend) as pool:
        with pool.context(pid, char_size=module.char_size) as ctx:
            args = module.new_parameters("Demo_Folder", "Backup", Folders=["/srv/docs"])
            module.invoke(ctx, "root/demo", "Demo_Folder", "Backup", parameters=args)
            ctx.wait()

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
import datetime as _dt
import itertools
import os
import struct
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
    "Module",
    "Instance",
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
    "MI_RESULT_ALREADY_EXISTS",
    "MI_RESULT_NO_SUCH_PROPERTY",
    "MI_RESULT_TYPE_MISMATCH",
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
    "MIPSRP_OPERATION_GET",
    "MIPSRP_OPERATION_CREATE",
    "MIPSRP_OPERATION_MODIFY",
    "MIPSRP_OPERATION_DELETE",
    "MI_TYPE_NAMES",
    "MI_ARRAY",
    "MI_FLAG_NULL",
    # and each MI_<TYPE> / MI_<TYPE>A of MI_TYPE_NAMES, added below
]

MI_RESULT_OK = 0
MI_RESULT_FAILED = 1
MI_RESULT_ACCESS_DENIED = 2
MI_RESULT_INVALID_PARAMETER = 4
MI_RESULT_NOT_FOUND = 6
MI_RESULT_NOT_SUPPORTED = 7
MI_RESULT_ALREADY_EXISTS = 11
MI_RESULT_NO_SUCH_PROPERTY = 12
MI_RESULT_TYPE_MISMATCH = 13
MI_RESULT_SERVER_LIMITS_EXCEEDED = 27
RESULT_NAMES = {
    MI_RESULT_OK: "MI_RESULT_OK",
    MI_RESULT_FAILED: "MI_RESULT_FAILED",
    MI_RESULT_ACCESS_DENIED: "MI_RESULT_ACCESS_DENIED",
    MI_RESULT_INVALID_PARAMETER: "MI_RESULT_INVALID_PARAMETER",
    MI_RESULT_NOT_FOUND: "MI_RESULT_NOT_FOUND",
    MI_RESULT_NOT_SUPPORTED: "MI_RESULT_NOT_SUPPORTED",
    MI_RESULT_ALREADY_EXISTS: "MI_RESULT_ALREADY_EXISTS",
    MI_RESULT_NO_SUCH_PROPERTY: "MI_RESULT_NO_SUCH_PROPERTY",
    MI_RESULT_TYPE_MISMATCH: "MI_RESULT_TYPE_MISMATCH",
    MI_RESULT_SERVER_LIMITS_EXCEEDED: "MI_RESULT_SERVER_LIMITS_EXCEEDED",
    # The other MI_Result codes a provider may end an operation with.
    3: "MI_RESULT_INVALID_NAMESPACE",
    5: "MI_RESULT_INVALID_CLASS",
    8: "MI_RESULT_CLASS_HAS_CHILDREN",
    9: "MI_RESULT_CLASS_HAS_INSTANCES",
    10: "MI_RESULT_INVALID_SUPERCLASS",
    14: "MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED",
    15: "MI_RESULT_INVALID_QUERY",
    16: "MI_RESULT_METHOD_NOT_AVAILABLE",
    17: "MI_RESULT_METHOD_NOT_FOUND",
    20: "MI_RESULT_NAMESPACE_NOT_EMPTY",
    21: "MI_RESULT_INVALID_ENUMERATION_CONTEXT",
    22: "MI_RESULT_INVALID_OPERATION_TIMEOUT",
    23: "MI_RESULT_PULL_HAS_BEEN_ABANDONED",
    24: "MI_RESULT_PULL_CANNOT_BE_ABANDONED",
    25: "MI_RESULT_FILTERED_ENUMERATION_NOT_SUPPORTED",
    26: "MI_RESULT_CONTINUATION_ON_ERROR_NOT_SUPPORTED",
    28: "MI_RESULT_SERVER_IS_SHUTTING_DOWN",
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

#: ``Module.instance_operation``'s operations (``mipsrp_module_instance_operation``).
MIPSRP_OPERATION_GET = 0
MIPSRP_OPERATION_CREATE = 1
MIPSRP_OPERATION_MODIFY = 2
MIPSRP_OPERATION_DELETE = 3

#: MI's types (``MI_Type``); ``MI_<T>A`` = ``MI_<T> | MI_ARRAY`` is its array.
MI_BOOLEAN = 0
MI_UINT8 = 1
MI_SINT8 = 2
MI_UINT16 = 3
MI_SINT16 = 4
MI_UINT32 = 5
MI_SINT32 = 6
MI_UINT64 = 7
MI_SINT64 = 8
MI_REAL32 = 9
MI_REAL64 = 10
MI_CHAR16 = 11
MI_DATETIME = 12
MI_STRING = 13
MI_REFERENCE = 14
MI_INSTANCE = 15
MI_ARRAY = 16
MI_BOOLEANA = MI_BOOLEAN | MI_ARRAY
MI_UINT8A = MI_UINT8 | MI_ARRAY
MI_SINT8A = MI_SINT8 | MI_ARRAY
MI_UINT16A = MI_UINT16 | MI_ARRAY
MI_SINT16A = MI_SINT16 | MI_ARRAY
MI_UINT32A = MI_UINT32 | MI_ARRAY
MI_SINT32A = MI_SINT32 | MI_ARRAY
MI_UINT64A = MI_UINT64 | MI_ARRAY
MI_SINT64A = MI_SINT64 | MI_ARRAY
MI_REAL32A = MI_REAL32 | MI_ARRAY
MI_REAL64A = MI_REAL64 | MI_ARRAY
MI_CHAR16A = MI_CHAR16 | MI_ARRAY
MI_DATETIMEA = MI_DATETIME | MI_ARRAY
MI_STRINGA = MI_STRING | MI_ARRAY
MI_REFERENCEA = MI_REFERENCE | MI_ARRAY
MI_INSTANCEA = MI_INSTANCE | MI_ARRAY
_SCALAR_NAMES = (
    "BOOLEAN", "UINT8", "SINT8", "UINT16", "SINT16", "UINT32", "SINT32", "UINT64", "SINT64",
    "REAL32", "REAL64", "CHAR16", "DATETIME", "STRING", "REFERENCE", "INSTANCE",
)  # fmt: skip
#: ``MI_Type`` → its name (``MI_UINT32``, ``MI_STRINGA``).
MI_TYPE_NAMES = {
    **{i: f"MI_{n}" for i, n in enumerate(_SCALAR_NAMES)},
    **{i | MI_ARRAY: f"MI_{n}A" for i, n in enumerate(_SCALAR_NAMES)},
}
__all__ += list(MI_TYPE_NAMES.values())
MI_FLAG_NULL = 0x20000000

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
    """A call returned something other than MI_RESULT_OK. ``reason``: the
    library's explanation when it gives one (``Module.load``), else None."""

    def __init__(self, code: int, call: str, reason: Optional[str] = None):
        self.code = code
        self.name = RESULT_NAMES.get(code, f"MI_Result {code}")
        self.reason = reason
        super().__init__(f"{call}: {self.name}" + (f": {reason}" if reason else ""))


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


def _check(code: int, call: str, reason: Optional[str] = None) -> None:
    if code != MI_RESULT_OK:
        raise MiError(code, call, reason)


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


def _utf8_arg(what: str, value: str) -> bytes:
    """A str argument as NUL-terminated UTF-8 for the C API (no NUL inside)."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str")
    if "\0" in value:
        raise ValueError(f"{what} cannot contain NUL")
    return value.encode("utf-8", "surrogatepass")


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
        "mipsrp_pool_set_output": [c_void_p, c_char_p, c_uint8],
        "mipsrp_context_set_string_option": [ctx, c_char_p, c_char_p],
        "mipsrp_context_set_number_option": [ctx, c_char_p, c_uint32],
        "mipsrp_module_load": [c_char_p, POINTER(c_void_p), c_char_p, c_size_t],
        "mipsrp_module_char_size": [c_void_p, POINTER(c_uint32)],
        "mipsrp_module_new_instance": [c_void_p, c_char_p, POINTER(c_void_p)],
        "mipsrp_module_new_parameters": [c_void_p, c_char_p, c_char_p, POINTER(c_void_p)],
        "mipsrp_module_invoke": [c_void_p, ctx, c_char_p, c_char_p, c_char_p, c_void_p, c_void_p],
        "mipsrp_module_enumerate": [c_void_p, ctx, c_char_p, c_char_p, c_char_p, c_uint8, POINTER(c_char_p), c_size_t],
        "mipsrp_module_instance_operation": [
            c_void_p,
            ctx,
            c_uint32,
            c_char_p,
            c_void_p,
            POINTER(c_char_p),
            c_size_t,
        ],
    }.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = c_uint32
    for name in ("mipsrp_pool_free", "mipsrp_context_free", "mipsrp_module_free"):
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

    def set_output(self, computer_name: Optional[str] = None, class_metadata: bool = False) -> None:
        """How the pool's CIM output objects are written from now on:
        ``computer_name`` is every object's ``PSComputerName`` (None: a Nil,
        the default); ``class_metadata`` adds ``__ClassMetadata`` to every
        CimInstance, cached per pipeline (off by default)."""
        name = None if computer_name is None else _utf8_arg("computer_name", computer_name)
        self._call("mipsrp_pool_set_output", name, 1 if class_metadata else 0)

    def transport_gone(self) -> None:
        """The client went away: every live and later context of the pool is
        canceled (MI_REASON_SERVICESTOP), its writes fail, and nothing more
        reaches the sink; ``send`` fails from now on."""
        self._call("mipsrp_pool_transport_gone")

    def context(
        self,
        pipeline_id: str,
        activity_id: int = -1,
        parent_activity_id: int = -1,
        utf8: bool = False,
        char_size: Optional[int] = None,
    ) -> "Context":
        """A context for one operation of pipeline ``pipeline_id``
        (``NIL_PIPELINE_ID``: records on the runspace pool). ``utf8``: the
        context of a UTF-8 provider (``MI_CHAR_TYPE 1``, OMI's default; its
        slots read ``char`` strings); otherwise of a wide one (``wchar_t``).
        ``char_size`` (1 or ``sizeof(wchar_t)``), when given, says the same
        and wins over ``utf8``: pass ``module.char_size`` for an operation of
        a ``Module``."""
        if char_size is not None:
            size = _int("char_size", char_size, 0, 2**64 - 1)
            if size not in (1, ctypes.sizeof(c_wchar)):
                raise ValueError(f"char_size must be 1 or {ctypes.sizeof(c_wchar)} (sizeof(wchar_t)), got {size}")
            utf8 = size == 1
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
        #: The provider character size the context was made for: 1 (UTF-8)
        #: or ``sizeof(wchar_t)``.
        self.char_size = 1 if self.utf8 else ctypes.sizeof(c_wchar)
        self._completion = None
        # What a module operation on this context reads until it ends (the
        # module, its input instances): kept alive as long as the context.
        self._inputs: list = []
        pid = _guid("pipeline_id", pipeline_id)
        activity_id = _i32("activity_id", activity_id)
        parent_activity_id = _i32("parent_activity_id", parent_activity_id)
        if not pool._handle:
            raise ValueError("the pool is closed")
        self._pool = pool  # the pool (its sink callback) lives as long as this context
        self._lib = pool._lib
        handle = c_void_p()
        code = _invoke(
            self._lib.mipsrp_context_new_ex,
            pool._handle,
            pid,
            activity_id,
            parent_activity_id,
            self.char_size,
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

    def set_option(self, name: str, value) -> None:
        """Sets an operation option the provider reads with
        ``MI_Context_GetStringOption`` (a ``str`` value) or
        ``GetNumberOption`` (an ``int``, 0 to 2**32-1), and
        ``GetCustomOption*``. A later set of the same name wins."""
        key = _utf8_arg("name", name)
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise TypeError("an option is a str or an int")
        if isinstance(value, str):
            self._call("mipsrp_context_set_string_option", key, _utf8_arg("value", value))
        else:
            self._call("mipsrp_context_set_number_option", key, _u32("value", value))

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
            try:
                _invoke(self._lib.mipsrp_context_free, handle)
            finally:
                self._inputs.clear()

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        # An exception of a callback run here goes to sys.unraisablehook.
        if getattr(self, "_handle", None):
            self.close()


# ---------------------------------------------------------------- modules
#
# A provider module (the shared library omigen or Convert-MofToProvider
# generate, exporting MI_Main) loaded by mi-psrp: its operations run on a
# Context of the module's character size, and what the provider posts reaches
# the pool's sink as PIPELINE_OUTPUT messages (CimInstance, CimMethodResult,
# CimMethodStreamedResult) in order with its records. Input instances are
# mi-psrp's MI_Instance, filled through their own function table
# (``MI_Instance_SetElement``), as a C host would.


class _Timestamp(Structure):
    _fields_ = [
        ("year", c_uint32),
        ("month", c_uint32),
        ("day", c_uint32),
        ("hour", c_uint32),
        ("minute", c_uint32),
        ("second", c_uint32),
        ("microseconds", c_uint32),
        ("utc", c_int32),
    ]


class _Interval(Structure):
    _fields_ = [
        ("days", c_uint32),
        ("hours", c_uint32),
        ("minutes", c_uint32),
        ("seconds", c_uint32),
        ("microseconds", c_uint32),
        ("_padding1", c_uint32),
        ("_padding2", c_uint32),
        ("_padding3", c_uint32),
    ]


class _DatetimeUnion(ctypes.Union):
    _fields_ = [("timestamp", _Timestamp), ("interval", _Interval)]


class _Datetime(Structure):
    """``MI_Datetime``."""

    _fields_ = [("isTimestamp", c_uint32), ("u", _DatetimeUnion)]


class _Array(Structure):
    """``MI_Array`` (every ``MI_<Type>A``): data, size."""

    _fields_ = [("data", c_void_p), ("size", c_uint32)]


class _Value(ctypes.Union):
    """``MI_Value`` (40 bytes on 64-bit targets)."""

    _fields_ = [
        ("boolean", c_uint8),
        ("uint8", c_uint8),
        ("sint8", ctypes.c_int8),
        ("uint16", ctypes.c_uint16),
        ("sint16", ctypes.c_int16),
        ("uint32", c_uint32),
        ("sint32", c_int32),
        ("uint64", c_uint64),
        ("sint64", ctypes.c_int64),
        ("real32", ctypes.c_float),
        ("real64", ctypes.c_double),
        ("char16", ctypes.c_uint16),
        ("datetime", _Datetime),
        ("string", c_void_p),
        ("instance", c_void_p),
        ("array", _Array),
    ]


# MI_InstanceFT's slots, in Microsoft's order; those the binding calls typed.
_I = c_void_p  # MI_Instance*
_FT_CLONE = ctypes.CFUNCTYPE(c_uint32, _I, POINTER(c_void_p))
_FT_DELETE = ctypes.CFUNCTYPE(c_uint32, _I)
_FT_GET_CLASS_NAME = ctypes.CFUNCTYPE(c_uint32, _I, POINTER(c_void_p))
_FT_GET_ELEMENT_COUNT = ctypes.CFUNCTYPE(c_uint32, _I, POINTER(c_uint32))
_FT_SET_ELEMENT = ctypes.CFUNCTYPE(c_uint32, _I, c_void_p, POINTER(_Value), c_uint32, c_uint32)
_FT_GET_ELEMENT = ctypes.CFUNCTYPE(
    c_uint32, _I, c_void_p, POINTER(_Value), POINTER(c_uint32), POINTER(c_uint32), POINTER(c_uint32)
)
_FT_GET_ELEMENT_AT = ctypes.CFUNCTYPE(
    c_uint32, _I, c_uint32, POINTER(c_void_p), POINTER(_Value), POINTER(c_uint32), POINTER(c_uint32)
)
_FT_CLEAR_ELEMENT = ctypes.CFUNCTYPE(c_uint32, _I, c_void_p)


class _InstanceFT(Structure):
    """``MI_InstanceFT``."""

    _fields_ = [
        ("Clone", _FT_CLONE),
        ("Destruct", c_void_p),
        ("Delete", _FT_DELETE),
        ("IsA", c_void_p),
        ("GetClassName", _FT_GET_CLASS_NAME),
        ("SetNameSpace", c_void_p),
        ("GetNameSpace", c_void_p),
        ("GetElementCount", _FT_GET_ELEMENT_COUNT),
        ("AddElement", c_void_p),
        ("SetElement", _FT_SET_ELEMENT),
        ("SetElementAt", c_void_p),
        ("GetElement", _FT_GET_ELEMENT),
        ("GetElementAt", _FT_GET_ELEMENT_AT),
        ("ClearElement", _FT_CLEAR_ELEMENT),
        ("ClearElementAt", c_void_p),
        ("GetServerName", c_void_p),
        ("SetServerName", c_void_p),
        ("GetClass", c_void_p),
    ]


# Integer types: (MI_Value field, ctypes type, lowest, highest).
_INTEGERS = {
    MI_UINT8: ("uint8", c_uint8, 0, 2**8 - 1),
    MI_SINT8: ("sint8", ctypes.c_int8, -(2**7), 2**7 - 1),
    MI_UINT16: ("uint16", ctypes.c_uint16, 0, 2**16 - 1),
    MI_SINT16: ("sint16", ctypes.c_int16, -(2**15), 2**15 - 1),
    MI_UINT32: ("uint32", c_uint32, 0, 2**32 - 1),
    MI_SINT32: ("sint32", c_int32, -(2**31), 2**31 - 1),
    MI_UINT64: ("uint64", c_uint64, 0, 2**64 - 1),
    MI_SINT64: ("sint64", ctypes.c_int64, -(2**63), 2**63 - 1),
}
_REALS = {MI_REAL32: ("real32", ctypes.c_float), MI_REAL64: ("real64", ctypes.c_double)}


def _utf8(name: str, value) -> bytes:
    """A name or namespace for the module API: NUL-terminated UTF-8."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return _text(value).encode("utf-8")


def _names(properties) -> tuple[Optional[ctypes.Array], int]:
    """A property list as ``const char *const *`` and its length; None: NULL, 0."""
    if properties is None:
        return None, 0
    if isinstance(properties, (str, bytes)):
        raise TypeError("properties must be a list of names, not a single string")
    names = [_utf8("a property name", p) for p in properties]
    return (c_char_p * max(len(names), 1))(*names), len(names)


def _real(name: str, value, code: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a float, not {type(value).__name__}")
    value = float(value)  # OverflowError for an int too large for a double
    if code == "f":
        struct.pack("<f", value)  # OverflowError for a finite double past float's range
    return value


def _char16(name: str, value) -> int:
    """A CHAR16: a one-character str of the BMP, or its code as an int."""
    if isinstance(value, str):
        if len(value) != 1:
            raise ValueError(f"{name} must be one character, got {len(value)}")
        value = ord(value)
        if value > 0xFFFF:
            raise OverflowError(f"{name} must be a UTF-16 code unit (U+0000..U+FFFF), got U+{value:X}")
        return value
    return _int(name, value, 0, 0xFFFF)


def _datetime(name: str, value) -> _Datetime:
    """An MI_Datetime: a ``datetime.datetime`` is a timestamp (its UTC offset
    in minutes; naive: 0), a ``datetime.timedelta`` an interval."""
    d = _Datetime()
    if isinstance(value, _dt.datetime):
        offset = value.utcoffset()
        minutes = 0 if offset is None else int(offset.total_seconds() // 60)
        d.isTimestamp = 1
        t = d.u.timestamp
        t.year, t.month, t.day = value.year, value.month, value.day
        t.hour, t.minute, t.second = value.hour, value.minute, value.second
        t.microseconds, t.utc = value.microsecond, minutes
    elif isinstance(value, _dt.timedelta):
        if value < _dt.timedelta(0):
            raise OverflowError(f"{name}: an MI interval cannot be negative, got {value}")
        d.isTimestamp = 0
        i = d.u.interval
        i.days = _int(f"{name} (days)", value.days, 0, _U32_MAX)
        i.hours, rest = divmod(value.seconds, 3600)
        i.minutes, i.seconds = divmod(rest, 60)
        i.microseconds = value.microseconds
    else:
        raise TypeError(f"{name} must be a datetime.datetime or datetime.timedelta, not {type(value).__name__}")
    return d


def _from_datetime(name: str, d: _Datetime):
    if d.isTimestamp:
        t = d.u.timestamp
        try:
            tz = _dt.timezone(_dt.timedelta(minutes=t.utc))
            return _dt.datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microseconds, tz)
        except (ValueError, OverflowError) as e:
            raise ValueError(f"{name}: the provider's timestamp is not a valid datetime: {e}") from None
    i = d.u.interval
    return _dt.timedelta(
        days=i.days, hours=i.hours, minutes=i.minutes, seconds=i.seconds, microseconds=i.microseconds
    )


class Module:
    """A provider module loaded by mi-psrp (``mipsrp_module_load``): the
    shared library omigen or Convert-MofToProvider generate, exporting
    ``MI_Main``, in either character type. Unloaded by ``close()``, ``with``
    or garbage collection — only once every operation of it has ended.

        with Module.load("libdemo_module.so") as module, Pool(rpid, sink) as pool:
            with pool.context(pid, char_size=module.char_size) as ctx:
                args = module.new_parameters("Demo_Folder", "Backup", Folders=["/srv/docs"])
                module.invoke(ctx, "root/demo", "Demo_Folder", "Backup", parameters=args)
                ctx.wait()

    Operations (``invoke``, ``enumerate``, ``get``/``create``/``modify``/
    ``delete``) return when the provider's function returns; the provider may
    end the operation later, on another thread: wait with ``Context.wait`` or
    ``Context.on_complete``. Each raises MiError when the operation could not
    start (no such class or method, a class whose ``Load`` failed: the
    operation is then already ended on the context with an error record; a
    context of another character size, an instance of another module:
    nothing run). The context keeps the module and the input instances alive
    until it is closed; do not change or delete them before the operation
    ended.
    """

    def __init__(self, *_args, **_kwargs):
        raise TypeError("use Module.load(path)")

    @classmethod
    def load(cls, path, library: Optional[str] = None) -> "Module":
        """Loads the module at ``path`` (str, bytes or os.PathLike): MI_Main,
        the checks, the module's ``Load`` (waited for up to 30 s). A module
        that does not load raises MiError whose ``reason`` is the library's
        text (the path and, e.g., ``dlerror()``'s message)."""
        path = os.fsencode(path)
        if b"\0" in path:
            raise ValueError("a path cannot contain NUL")
        self = object.__new__(cls)
        self._handle = None
        self._lib = _load(library)
        self.path = os.fsdecode(path)
        self._instances: "weakref.WeakValueDictionary[int, Instance]" = weakref.WeakValueDictionary()
        self._instance_keys = itertools.count()
        handle = c_void_p()
        error = ctypes.create_string_buffer(1024)
        code = _invoke(self._lib.mipsrp_module_load, path, ctypes.byref(handle), error, len(error))
        _check(code, "mipsrp_module_load", error.value.decode("utf-8", "replace") or None)
        self._handle = handle
        size = c_uint32()
        _check(_invoke(self._lib.mipsrp_module_char_size, handle, ctypes.byref(size)), "mipsrp_module_char_size")
        #: The module's character size (``MI_Module.charSize``): 1 (UTF-8) or
        #: ``sizeof(wchar_t)``. Its contexts must be made with it.
        self.char_size = size.value
        return self

    @property
    def utf8(self) -> bool:
        return self.char_size == 1

    @property
    def handle(self) -> c_void_p:
        """The ``mipsrp_module*``."""
        if not self._handle:
            raise ValueError("the module is closed")
        return self._handle

    def __repr__(self) -> str:
        state = "closed" if not self._handle else f"char_size={self.char_size}"
        return f"<mi_psrp.Module {self.path!r} {state}>"

    # -- strings in the module's character type

    def _encode(self, s) -> ctypes.Array:
        """``s`` as a NUL-terminated ``MI_Char`` buffer of this module: UTF-8
        (``bytes`` passed as they are) or UTF-16/32 ``wchar_t`` units."""
        if isinstance(s, bytes):
            if self.char_size != 1:
                raise TypeError("bytes are for a UTF-8 module; pass a str to a wide one")
            if b"\0" in s:
                raise ValueError("a string passed to mi-psrp cannot contain NUL")
            return ctypes.create_string_buffer(s)
        if not isinstance(s, str):
            raise TypeError(f"a string must be str or bytes, not {type(s).__name__}")
        _text(s)
        encoding = {1: "utf-8", 2: "utf-16-le", 4: "utf-32-le"}[self.char_size]
        return ctypes.create_string_buffer(s.encode(encoding, "surrogatepass") + b"\0" * self.char_size, None)

    def _decode(self, address: Optional[int]) -> Optional[str]:
        """The NUL-terminated ``MI_Char`` string at ``address``."""
        if not address:
            return None
        if self.char_size == 1:
            return ctypes.string_at(address).decode("utf-8", "replace")
        unit = {2: ctypes.c_uint16, 4: c_uint32}[self.char_size]
        units = []
        p = ctypes.cast(address, POINTER(unit))
        while p[len(units)]:
            units.append(p[len(units)])
        if self.char_size == 2:
            return b"".join(u.to_bytes(2, "little") for u in units).decode("utf-16-le", "replace")
        return "".join(chr(u) if u <= 0x10FFFF and not 0xD800 <= u <= 0xDFFF else "\ufffd" for u in units)

    # -- instances

    def _adopt(self, handle: c_void_p) -> "Instance":
        inst = Instance._wrap(self, handle)
        self._instances[next(self._instance_keys)] = inst
        return inst

    def new_instance(self, class_name: str, **properties) -> "Instance":
        """A new instance of ``class_name`` (every property null), for
        Get/Create/Modify/Delete or an instance method's target; each keyword
        is set by its declared type (``Instance.__setitem__``)."""
        handle = c_void_p()
        code = _invoke(
            self._lib.mipsrp_module_new_instance, self.handle, _utf8("class_name", class_name), ctypes.byref(handle)
        )
        _check(code, "mipsrp_module_new_instance")
        return self._filled(self._adopt(handle), properties)

    def new_parameters(self, class_name: str, method_name: str, **arguments) -> "Instance":
        """The in-parameters of ``class_name.method_name`` (every one null),
        for ``invoke``; each keyword set by its declared type."""
        handle = c_void_p()
        code = _invoke(
            self._lib.mipsrp_module_new_parameters,
            self.handle,
            _utf8("class_name", class_name),
            _utf8("method_name", method_name),
            ctypes.byref(handle),
        )
        _check(code, "mipsrp_module_new_parameters")
        return self._filled(self._adopt(handle), arguments)

    @staticmethod
    def _filled(inst: "Instance", values: dict) -> "Instance":
        try:
            for name, value in values.items():
                inst[name] = value
        except BaseException:
            inst.delete()
            raise
        return inst

    # -- operations

    def _operation_inputs(self, context: "Context", *instances) -> list:
        if not isinstance(context, Context):
            raise TypeError(f"context must be a mi_psrp.Context, not {type(context).__name__}")
        handles = []
        for inst in instances:
            if inst is None:
                handles.append(None)
            elif isinstance(inst, Instance):
                handles.append(inst.handle)
            else:
                raise TypeError(f"an instance must be a mi_psrp.Instance or None, not {type(inst).__name__}")
        return handles

    def _run(self, name: str, context: "Context", keep: tuple, *args) -> None:
        handle = self.handle
        ctx = context.handle
        # Kept before the call: the provider may still read them after it returns.
        context._inputs.append((self, *keep))
        _check(_invoke(getattr(self._lib, name), handle, ctx, *args), name)

    def invoke(
        self,
        context: "Context",
        name_space: str,
        class_name: str,
        method_name: str,
        instance: Optional["Instance"] = None,
        parameters: Optional["Instance"] = None,
    ) -> None:
        """Invokes ``class_name.method_name`` on ``context``: static when
        ``instance`` is None, else on the instance whose keys it holds;
        ``parameters`` from ``new_parameters`` or None. Out-parameters reach
        the sink as a CimMethodResult, streamed ones as
        CimMethodStreamedResults."""
        target, params = self._operation_inputs(context, instance, parameters)
        self._run(
            "mipsrp_module_invoke",
            context,
            (instance, parameters),
            _utf8("name_space", name_space),
            _utf8("class_name", class_name),
            _utf8("method_name", method_name),
            target,
            params,
        )

    def enumerate(
        self,
        context: "Context",
        name_space: str,
        class_name: str,
        keys_only: bool = False,
        properties: Optional[list] = None,
        filter: Optional[str] = None,
    ) -> None:
        """EnumerateInstances of ``class_name``: each posted instance reaches
        the sink as a CimInstance. ``properties``: the property set (None: all).
        ``filter``: a WQL filter (``"Name = 'w1' AND Size = 3"``) the provider
        receives and that is applied to what it posts (None: none)."""
        self._operation_inputs(context)
        names, count = _names(properties)
        self._run(
            "mipsrp_module_enumerate",
            context,
            (),
            _utf8("name_space", name_space),
            _utf8("class_name", class_name),
            None if filter is None else _utf8("filter", filter),
            1 if keys_only else 0,
            names,
            count,
        )

    def instance_operation(
        self,
        context: "Context",
        operation: int,
        name_space: str,
        instance: "Instance",
        properties: Optional[list] = None,
    ) -> None:
        """``mipsrp_module_instance_operation``: ``operation`` one of
        ``MIPSRP_OPERATION_GET``/``_CREATE``/``_MODIFY``/``_DELETE`` with
        ``instance`` (keys; the new instance; the changed properties) of the
        operation's class; ``properties`` (Get, Modify) the property set."""
        if instance is None:
            raise TypeError("the operation needs an instance")
        (target,) = self._operation_inputs(context, instance)
        names, count = _names(properties)
        self._run(
            "mipsrp_module_instance_operation",
            context,
            (instance,),
            _u32("operation", operation),
            _utf8("name_space", name_space),
            target,
            names,
            count,
        )

    def get(self, context: "Context", name_space: str, instance: "Instance", properties=None) -> None:
        """GetInstance of the instance whose keys ``instance`` holds."""
        self.instance_operation(context, MIPSRP_OPERATION_GET, name_space, instance, properties)

    def create(self, context: "Context", name_space: str, instance: "Instance", properties=None) -> None:
        """CreateInstance of ``instance`` (``properties``: ignored, as MI's CreateInstance has none)."""
        self.instance_operation(context, MIPSRP_OPERATION_CREATE, name_space, instance, properties)

    def modify(self, context: "Context", name_space: str, instance: "Instance", properties=None) -> None:
        """ModifyInstance: the changed properties in ``instance``, with its keys."""
        self.instance_operation(context, MIPSRP_OPERATION_MODIFY, name_space, instance, properties)

    def delete(self, context: "Context", name_space: str, instance: "Instance", properties=None) -> None:
        """DeleteInstance of the instance whose keys ``instance`` holds."""
        self.instance_operation(context, MIPSRP_OPERATION_DELETE, name_space, instance, properties)

    # -- lifetime

    def close(self) -> None:
        """Deletes the module's instances still alive, then unloads it (each
        loaded class's Unload, the module's, then the library closed). Call
        it once every operation of the module has ended."""
        if self._handle:
            for inst in list(self._instances.values()):
                inst.delete()
            handle, self._handle = self._handle, None
            _invoke(self._lib.mipsrp_module_free, handle)

    def __enter__(self) -> "Module":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_handle", None):
            self.close()


class Instance:
    """An ``MI_Instance`` of a module (from ``Module.new_instance``,
    ``Module.new_parameters``, or a copy of an embedded instance read with
    ``get``), set and read through its own function table as a C host would
    (``MI_Instance_SetElement`` / ``GetElement``). Deleted by ``delete()``,
    ``with``, its module's ``close()`` or garbage collection.

    ``inst.set(name, value, mi_type)`` sets an element with an explicit
    ``MI_Type``, which must be its declared one (else MiError
    ``MI_RESULT_TYPE_MISMATCH``); ``inst[name] = value`` looks the declared
    type up first. Values by type:

    - ``MI_BOOLEAN``: bool; integers: int, range-checked (OverflowError);
      ``MI_REAL32``/``MI_REAL64``: float or int; ``MI_CHAR16``: a one-character
      str of the BMP or its code; ``MI_DATETIME``: ``datetime.datetime``
      (timestamp) or ``datetime.timedelta`` (interval); ``MI_STRING``: str
      (bytes for a UTF-8 module); ``MI_INSTANCE``/``MI_REFERENCE``: an
      Instance of the same module (copied);
    - each array type: a list (or tuple) of those;
    - None: the element null.

    Every check is made before anything is called: a refused value leaves the
    element as it was.
    """

    def __init__(self, *_args, **_kwargs):
        raise TypeError("instances come from Module.new_instance or Module.new_parameters")

    @classmethod
    def _wrap(cls, module: Module, handle: c_void_p) -> "Instance":
        self = object.__new__(cls)
        self._module = module  # the module lives as long as its instances
        self._handle = handle
        return self

    @property
    def module(self) -> Module:
        return self._module

    @property
    def handle(self) -> c_void_p:
        """The ``MI_Instance*``. Valid until the instance is deleted."""
        if not self._handle:
            raise ValueError("the instance is deleted")
        return self._handle

    def _ft(self) -> _InstanceFT:
        ft = ctypes.cast(self.handle, POINTER(POINTER(_InstanceFT)))[0]
        return ft.contents

    def _call(self, slot: str, *args) -> None:
        fn = getattr(self._ft(), slot)
        _check(_invoke(fn, self.handle, *args), f"MI_Instance_{slot}")

    @property
    def class_name(self) -> str:
        name = c_void_p()
        self._call("GetClassName", ctypes.byref(name))
        return self._module._decode(name.value)

    def names(self) -> list[str]:
        """The element names, in declaration order."""
        count = c_uint32()
        self._call("GetElementCount", ctypes.byref(count))
        out = []
        for i in range(count.value):
            name = c_void_p()
            self._call("GetElementAt", i, ctypes.byref(name), None, None, None)
            out.append(self._module._decode(name.value))
        return out

    def type_of(self, name: str) -> int:
        """The declared ``MI_Type`` of element ``name`` (MiError
        ``MI_RESULT_NO_SUCH_PROPERTY`` when there is none)."""
        ty = c_uint32()
        self._call("GetElement", self._module._encode(name), None, ctypes.byref(ty), None, None)
        return ty.value

    # -- values

    def _value(self, name: str, value, mi_type: int):
        """``(MI_Value, flags, keep-alive)`` for ``value`` of ``mi_type``."""
        v = _Value()
        if value is None:
            return v, MI_FLAG_NULL, None
        keep = None
        base, is_array = mi_type & ~MI_ARRAY, bool(mi_type & MI_ARRAY)
        if not is_array:
            scalar = self._scalar(name, value, base)
            if base in _INTEGERS:
                setattr(v, _INTEGERS[base][0], scalar)
            elif base in _REALS:
                setattr(v, _REALS[base][0], scalar)
            elif base == MI_BOOLEAN:
                v.boolean = scalar
            elif base == MI_CHAR16:
                v.char16 = scalar
            elif base == MI_DATETIME:
                v.datetime = scalar
            else:  # a string buffer or an instance handle
                keep = scalar
                v.string = ctypes.addressof(scalar) if base == MI_STRING else scalar.value
            return v, 0, keep
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise TypeError(f"{name} is an array ({MI_TYPE_NAMES[mi_type]}): pass a list, not {type(value).__name__}")
        items = [self._scalar(f"{name}[{i}]", item, base) for i, item in enumerate(value)]
        if base in _INTEGERS:
            data = (_INTEGERS[base][1] * len(items))(*items)
        elif base in _REALS:
            data = (_REALS[base][1] * len(items))(*items)
        elif base == MI_BOOLEAN:
            data = (c_uint8 * len(items))(*items)
        elif base == MI_CHAR16:
            data = (ctypes.c_uint16 * len(items))(*items)
        elif base == MI_DATETIME:
            data = (_Datetime * len(items))(*items)
        elif base == MI_STRING:
            data = (c_void_p * len(items))(*(ctypes.addressof(b) for b in items))
        else:
            data = (c_void_p * len(items))(*(h.value for h in items))
        v.array.data = ctypes.addressof(data) if items else None
        v.array.size = len(items)
        return v, 0, (data, items)

    def _scalar(self, name: str, value, base: int):
        if base in _INTEGERS:
            _, _, low, high = _INTEGERS[base]
            return _int(name, value, low, high)
        if base in _REALS:
            return _real(name, value, "f" if base == MI_REAL32 else "d")
        if base == MI_BOOLEAN:
            if not isinstance(value, bool):
                raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
            return 1 if value else 0
        if base == MI_CHAR16:
            return _char16(name, value)
        if base == MI_DATETIME:
            return _datetime(name, value)
        if base == MI_STRING:
            try:
                return self._module._encode(value)
            except TypeError:
                raise TypeError(f"{name} must be a str, not {type(value).__name__}") from None
        if base in (MI_INSTANCE, MI_REFERENCE):
            if not isinstance(value, Instance):
                raise TypeError(f"{name} must be a mi_psrp.Instance, not {type(value).__name__}")
            return value.handle
        raise ValueError(f"{name}: no such MI_Type {base}")

    def set(self, name: str, value, mi_type: int) -> None:
        """``MI_Instance_SetElement(name, value, mi_type)``: the value copied
        into the instance; None makes the element null."""
        mi_type = _int("mi_type", mi_type, 0, MI_INSTANCEA)
        encoded = self._module._encode(name)
        v, flags, keep = self._value(name, value, mi_type)
        self._call("SetElement", encoded, None if flags & MI_FLAG_NULL else ctypes.byref(v), mi_type, flags)
        del keep  # the instance holds copies now

    def __setitem__(self, name: str, value) -> None:
        """Sets element ``name`` by its declared type (see the class)."""
        self.set(name, value, self.type_of(name))

    def clear(self, name: str) -> None:
        """``MI_Instance_ClearElement``: the element null."""
        self._call("ClearElement", self._module._encode(name))

    def get(self, name: str):
        """Element ``name`` as a Python value (None when null); an embedded
        instance or reference comes back as a copy (an Instance of its own)."""
        v, ty, flags = _Value(), c_uint32(), c_uint32()
        self._call("GetElement", self._module._encode(name), ctypes.byref(v), ctypes.byref(ty), ctypes.byref(flags), None)
        if flags.value & MI_FLAG_NULL:
            return None
        base, is_array = ty.value & ~MI_ARRAY, bool(ty.value & MI_ARRAY)
        if not is_array:
            return self._read(name, base, v)
        if not v.array.size:
            return []
        if base in _INTEGERS:
            unit = _INTEGERS[base][1]
        elif base in _REALS:
            unit = _REALS[base][1]
        else:
            unit = {
                MI_BOOLEAN: c_uint8,
                MI_CHAR16: ctypes.c_uint16,
                MI_DATETIME: _Datetime,
            }.get(base, c_void_p)
        items = ctypes.cast(v.array.data, POINTER(unit * v.array.size)).contents
        out = []
        for i, item in enumerate(items):
            one = _Value()
            if base in _INTEGERS:
                setattr(one, _INTEGERS[base][0], item)
            elif base in _REALS:
                setattr(one, _REALS[base][0], item)
            elif base == MI_DATETIME:
                one.datetime = item
            elif base == MI_BOOLEAN:
                one.boolean = item
            elif base == MI_CHAR16:
                one.char16 = item
            else:
                one.string = item
            out.append(self._read(f"{name}[{i}]", base, one))
        return out

    def _read(self, name: str, base: int, v: _Value):
        if base in _INTEGERS:
            return getattr(v, _INTEGERS[base][0])
        if base in _REALS:
            return getattr(v, _REALS[base][0])
        if base == MI_BOOLEAN:
            return bool(v.boolean)
        if base == MI_CHAR16:
            return chr(v.char16)
        if base == MI_DATETIME:
            return _from_datetime(name, v.datetime)
        if base == MI_STRING:
            return self._module._decode(v.string)
        if not v.instance:
            return None
        # An embedded instance or reference: a copy of its own.
        ft = ctypes.cast(v.instance, POINTER(POINTER(_InstanceFT)))[0].contents
        copy = c_void_p()
        _check(_invoke(ft.Clone, v.instance, ctypes.byref(copy)), "MI_Instance_Clone")
        return self._module._adopt(copy)

    def __getitem__(self, name: str):
        return self.get(name)

    def as_dict(self) -> dict:
        """Every element by name, in declaration order (None when null)."""
        return {name: self.get(name) for name in self.names()}

    def __repr__(self) -> str:
        if not self._handle:
            return "<mi_psrp.Instance deleted>"
        return f"<mi_psrp.Instance {self.class_name}>"

    # -- lifetime

    def delete(self) -> None:
        """``MI_Instance_Delete``: frees the instance. Not while an operation
        given it is still under way."""
        if self._handle:
            handle = self._handle
            ft = ctypes.cast(handle, POINTER(POINTER(_InstanceFT)))[0].contents
            self._handle = None
            _check(_invoke(ft.Delete, handle), "MI_Instance_Delete")

    def __enter__(self) -> "Instance":
        return self

    def __exit__(self, *exc) -> None:
        self.delete()

    def __del__(self) -> None:
        if getattr(self, "_handle", None) and getattr(self._module, "_handle", None):
            self.delete()
