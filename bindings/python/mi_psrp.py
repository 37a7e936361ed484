"""Python bindings (ctypes) to mi-psrp's host API.

A host — or a test of a provider — opens a runspace pool whose sink receives
ready-to-send PSRP fragments, creates one context per operation, and drives
it. ``Context.write_progress`` calls the exported ``MI_Context_WriteProgress``,
exactly as a C provider would.

    from mi_psrp import Pool
    wire = bytearray()
    with Pool("6397709e-f7d6-c54d-9568-fd4656ae4820", wire.extend) as pool:
        with pool.context("632aa393-254e-b24d-8288-4d968d0da65d") as ctx:
            ctx.write_progress("Copying files", "copying a.txt", "1 of 2 copied", 50, 10)
    # wire now holds two PROGRESS_RECORD messages: the record, then Completed.

The library is found through ``$MIPSRP_LIB`` (a path to libmi_psrp.so), then
the system's library search (``ctypes.util.find_library``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import POINTER, c_char_p, c_int32, c_size_t, c_uint8, c_uint32, c_void_p, c_wchar, c_wchar_p
from typing import Callable, Optional

__all__ = [
    "Pool",
    "Context",
    "MiError",
    "UNKNOWN",
    "RESULT_NAMES",
    "MI_RESULT_OK",
    "MI_RESULT_FAILED",
    "MI_RESULT_INVALID_PARAMETER",
    "MI_RESULT_NOT_SUPPORTED",
    "MI_RESULT_SERVER_LIMITS_EXCEEDED",
    "MI_REASON_NONE",
    "MI_REASON_TIMEOUT",
    "MI_REASON_SHUTDOWN",
    "MI_REASON_SERVICESTOP",
]

MI_RESULT_OK = 0
MI_RESULT_FAILED = 1
MI_RESULT_INVALID_PARAMETER = 4
MI_RESULT_NOT_SUPPORTED = 7
MI_RESULT_SERVER_LIMITS_EXCEEDED = 27
RESULT_NAMES = {
    MI_RESULT_OK: "MI_RESULT_OK",
    MI_RESULT_FAILED: "MI_RESULT_FAILED",
    MI_RESULT_INVALID_PARAMETER: "MI_RESULT_INVALID_PARAMETER",
    MI_RESULT_NOT_SUPPORTED: "MI_RESULT_NOT_SUPPORTED",
    MI_RESULT_SERVER_LIMITS_EXCEEDED: "MI_RESULT_SERVER_LIMITS_EXCEEDED",
}

MI_REASON_NONE = 0
MI_REASON_TIMEOUT = 1
MI_REASON_SHUTDOWN = 2
MI_REASON_SERVICESTOP = 3

#: percentComplete / secondsRemaining value meaning "unknown" (sent as -1).
UNKNOWN = 0xFFFFFFFF
MI_MAX_LOCALE_SIZE = 128

_SINK = ctypes.CFUNCTYPE(None, c_void_p, POINTER(c_uint8), c_size_t)


class MiError(Exception):
    """A call returned something other than MI_RESULT_OK."""

    def __init__(self, code: int, call: str):
        self.code = code
        self.name = RESULT_NAMES.get(code, f"MI_Result {code}")
        super().__init__(f"{call}: {self.name}")


def _load(path: Optional[str] = None) -> ctypes.CDLL:
    path = path or os.environ.get("MIPSRP_LIB") or ctypes.util.find_library("mi_psrp")
    if not path:
        raise OSError("libmi_psrp not found: set MIPSRP_LIB to the path of libmi_psrp.so")
    lib = ctypes.CDLL(path)
    ctx = c_void_p
    for name, args in {
        "mipsrp_pool_new": [c_char_p, _SINK, c_void_p, POINTER(c_void_p)],
        "mipsrp_pool_set_fragment_size": [c_void_p, c_uint32],
        "mipsrp_pool_set_max_message_size": [c_void_p, c_uint32],
        "mipsrp_context_new": [c_void_p, c_char_p, c_int32, c_int32, POINTER(c_void_p)],
        "mipsrp_context_get_activity_id": [ctx, POINTER(c_int32)],
        "mipsrp_context_set_progress_requested": [ctx, c_uint8],
        "mipsrp_context_set_progress_interval": [ctx, c_uint32],
        "mipsrp_context_set_timeout": [ctx, c_uint32],
        "mipsrp_context_timed_out": [ctx, POINTER(c_uint8)],
        "mipsrp_context_cancel": [ctx, c_uint32],
        "mipsrp_context_set_locale": [ctx, c_uint32, c_wchar_p],
        "mipsrp_context_flush": [ctx],
        "MI_Context_WriteProgress": [ctx, c_wchar_p, c_wchar_p, c_wchar_p, c_uint32, c_uint32],
        "MI_Context_PostResult": [ctx, c_uint32],
        "MI_Context_Canceled": [ctx, POINTER(c_uint8)],
        "MI_Context_GetLocale": [ctx, c_uint32, POINTER(c_wchar)],
    }.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = c_uint32
    for name in ("mipsrp_pool_free", "mipsrp_context_free"):
        fn = getattr(lib, name)
        fn.argtypes = [c_void_p]
        fn.restype = None
    return lib


def _check(code: int, call: str) -> None:
    if code != MI_RESULT_OK:
        raise MiError(code, call)


def _text(s: Optional[str]) -> Optional[str]:
    if s is not None and "\0" in s:
        raise ValueError("a string passed to mi-psrp cannot contain NUL")
    return s


class Pool:
    """A runspace pool. ``sink(fragment: bytes)`` receives every fragment, in
    order, on whichever thread wrote the progress. An exception raised by the
    sink cannot cross the C library; it is raised again by the call that sent."""

    def __init__(self, runspace_pool_id: str, sink: Callable[[bytes], None], library: Optional[str] = None):
        self._handle = None
        self._lib = _load(library)
        self._sink = sink
        self.sink_error: Optional[BaseException] = None

        def deliver(_user_data, fragment, length):
            try:
                sink(ctypes.string_at(fragment, length))
            except BaseException as e:  # noqa: BLE001 -- kept and re-raised by the caller
                self.sink_error = self.sink_error or e

        self._callback = _SINK(deliver)  # keep it alive as long as the pool
        handle = c_void_p()
        _check(
            self._lib.mipsrp_pool_new(runspace_pool_id.encode(), self._callback, None, ctypes.byref(handle)),
            "mipsrp_pool_new",
        )
        self._handle = handle
        self._contexts: list[Context] = []

    def _raise_sink_error(self) -> None:
        if self.sink_error is not None:
            e, self.sink_error = self.sink_error, None
            raise e

    def set_fragment_size(self, size: int) -> None:
        _check(self._lib.mipsrp_pool_set_fragment_size(self._handle, size), "mipsrp_pool_set_fragment_size")

    def set_max_message_size(self, size: int) -> None:
        _check(self._lib.mipsrp_pool_set_max_message_size(self._handle, size), "mipsrp_pool_set_max_message_size")

    def context(self, pipeline_id: str, activity_id: int = -1, parent_activity_id: int = -1) -> "Context":
        """A context for one operation of pipeline ``pipeline_id``."""
        return Context(self, pipeline_id, activity_id, parent_activity_id)

    def close(self) -> None:
        """Frees the pool handle (open contexts keep the pool alive)."""
        if self._handle:
            self._lib.mipsrp_pool_free(self._handle)
            self._handle = None

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        for ctx in list(self._contexts):
            ctx.close()
        self.close()

    def __del__(self) -> None:
        self.close()


class Context:
    """The MI_Context of one operation."""

    def __init__(self, pool: Pool, pipeline_id: str, activity_id: int, parent_activity_id: int):
        self._handle = None
        self._pool = pool
        self._lib = pool._lib
        handle = c_void_p()
        _check(
            self._lib.mipsrp_context_new(
                pool._handle, pipeline_id.encode(), activity_id, parent_activity_id, ctypes.byref(handle)
            ),
            "mipsrp_context_new",
        )
        self._handle = handle
        pool._contexts.append(self)

    def _call(self, name: str, *args) -> None:
        code = getattr(self._lib, name)(self._handle, *args)
        self._pool._raise_sink_error()
        _check(code, name)

    @property
    def activity_id(self) -> int:
        value = c_int32()
        self._call("mipsrp_context_get_activity_id", ctypes.byref(value))
        return value.value

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
            _text(activity),
            _text(current_operation),
            _text(status_description),
            percent_complete & 0xFFFFFFFF,
            seconds_remaining & 0xFFFFFFFF,
        )

    def post_result(self, result: int = MI_RESULT_OK) -> None:
        self._call("MI_Context_PostResult", result)

    def canceled(self) -> bool:
        flag = c_uint8()
        self._call("MI_Context_Canceled", ctypes.byref(flag))
        return bool(flag.value)

    def get_locale(self, locale_type: int = 0) -> str:
        buf = (c_wchar * MI_MAX_LOCALE_SIZE)()
        self._call("MI_Context_GetLocale", locale_type, buf)
        return buf.value

    def set_locale(self, locale_type: int, locale: str) -> None:
        self._call("mipsrp_context_set_locale", locale_type, _text(locale))

    def set_progress_requested(self, requested: bool) -> None:
        self._call("mipsrp_context_set_progress_requested", 1 if requested else 0)

    def set_progress_interval(self, milliseconds: int) -> None:
        self._call("mipsrp_context_set_progress_interval", milliseconds)

    def set_timeout(self, milliseconds: int) -> None:
        self._call("mipsrp_context_set_timeout", milliseconds)

    def timed_out(self) -> bool:
        flag = c_uint8()
        self._call("mipsrp_context_timed_out", ctypes.byref(flag))
        return bool(flag.value)

    def cancel(self, reason: int = MI_REASON_NONE) -> None:
        self._call("mipsrp_context_cancel", reason)

    def flush(self) -> None:
        self._call("mipsrp_context_flush")

    def close(self) -> None:
        """Frees the context; an operation not yet ended is ended first
        (pending record, then Completed)."""
        if self._handle:
            self._lib.mipsrp_context_free(self._handle)
            self._handle = None
            self._pool._contexts.remove(self)
            self._pool._raise_sink_error()

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
