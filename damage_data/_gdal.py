"""GDAL without the network: reading an input never makes GDAL (or PROJ) open a connection.

GDAL fetches URLs found *inside* files: a GeoJSON ``crs`` given as a ``link``, an OGR VRT
whose source is ``/vsicurl/http://…``, the schema a GML file names, PROJ grids. Python's
``socket`` never sees those requests (GDAL uses libcurl), so they are switched off in GDAL
itself:

* ``/vsicurl/`` and its relatives (``/vsis3/``, ``/vsigs/``…) may only open one file name
  that cannot exist (``CPL_VSIL_CURL_ALLOWED_FILENAME``);
* the GML driver neither downloads schemas nor resolves ``xlink:href``;
* every other HTTP request GDAL makes goes through ``CPLHTTPFetch``, which is given a
  callback that refuses it (the C API ``CPLHTTPPushFetchCallback``, reached with
  :mod:`ctypes` in the ``libgdal`` that pyogrio loaded);
* PROJ's network (grid downloads) is off.

:func:`offline` does this for the reads of the calling thread and undoes it afterwards, so a
notebook that uses GDAL for something else is left as it was; :func:`offline_process` does
it once for the whole process (the command line).
"""

from __future__ import annotations

import ctypes
import glob
import importlib.util
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger("damage_data")

#: GDAL configuration that keeps every read local.
OFFLINE_OPTIONS: dict[str, str] = {
    # only this name may be opened through /vsicurl/ and the other network file systems;
    # it is no URL, so none is
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/damage_data/network-access-is-disabled",
    # GML: never download the schema of a WFS response or of the application schema
    "GML_DOWNLOAD_WFS_SCHEMA": "NO",
    "GML_DOWNLOAD_SCHEMA": "NO",
    # GML: never follow xlink:href (to other files or URLs)
    "GML_SKIP_RESOLVE_ELEMS": "ALL",
}
#: Environment of the command-line process: the above, and PROJ (its grids) offline.
OFFLINE_ENVIRONMENT: dict[str, str] = {**OFFLINE_OPTIONS, "PROJ_NETWORK": "OFF"}
REFUSED = "network access is disabled: damage_data reads local files only"


class _HTTPResult(ctypes.Structure):
    """GDAL's ``CPLHTTPResult`` (cpl_http.h), stable since GDAL 2."""

    _fields_ = [
        ("nStatus", ctypes.c_int),
        ("pszContentType", ctypes.c_void_p),
        ("pszErrBuf", ctypes.c_void_p),
        ("nDataLen", ctypes.c_int),
        ("nDataAlloc", ctypes.c_int),
        ("pabyData", ctypes.c_void_p),
        ("papszHeaders", ctypes.c_void_p),
        ("nMimePartCount", ctypes.c_int),
        ("pasMimePart", ctypes.c_void_p),
    ]


_FETCH = ctypes.CFUNCTYPE(
    ctypes.c_void_p,  # CPLHTTPResult*
    ctypes.c_char_p,  # URL
    ctypes.c_void_p,  # options
    ctypes.c_void_p,  # progress function
    ctypes.c_void_p,  # progress data
    ctypes.c_void_p,  # write function
    ctypes.c_void_p,  # write data
    ctypes.c_void_p,  # user data
)

#: URLs GDAL asked for and was refused (most recent last; for tests and debugging).
refused_urls: list[str] = []
_state = threading.local()
_lock = threading.Lock()
_lib: Any = None
_lib_searched = False
_process_wide = False
_hook_pending = False
_hook_lock = threading.Lock()


def _gdal_library() -> Any:
    """The ``libgdal`` pyogrio uses (``None`` when it cannot be found)."""
    global _lib, _lib_searched
    with _lock:
        if _lib_searched:
            return _lib
        _lib_searched = True
        for path in _library_paths():
            try:
                lib = ctypes.CDLL(path)
                lib.CPLHTTPPushFetchCallback.argtypes = [_FETCH, ctypes.c_void_p]
                lib.CPLHTTPPushFetchCallback.restype = ctypes.c_int
                lib.CPLHTTPPopFetchCallback.restype = ctypes.c_int
                lib.CPLHTTPSetFetchCallback.argtypes = [_FETCH, ctypes.c_void_p]
                lib.CPLSetThreadLocalConfigOption.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
                lib.CPLGetThreadLocalConfigOption.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
                lib.CPLGetThreadLocalConfigOption.restype = ctypes.c_char_p
                lib.CPLSetConfigOption.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
                lib.VSICalloc.argtypes = [ctypes.c_size_t, ctypes.c_size_t]
                lib.VSICalloc.restype = ctypes.c_void_p
                lib.CPLStrdup.argtypes = [ctypes.c_char_p]
                lib.CPLStrdup.restype = ctypes.c_void_p
                lib.OSRGetPROJEnableNetwork.restype = ctypes.c_int
                lib.OSRSetPROJEnableNetwork.argtypes = [ctypes.c_int]
            except (OSError, AttributeError) as err:
                log.debug("GDAL library %s not usable to switch the network off: %s", path, err)
                continue
            _lib = lib
            break
        else:
            log.debug("libgdal not found: GDAL's network is limited by configuration only")
        return _lib


def _library_paths() -> list[str]:
    """Where pyogrio's ``libgdal`` is: already loaded (Linux), beside pyogrio, or installed."""
    paths: list[str] = []
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths += sorted({line.split()[-1] for line in maps if "libgdal" in line})
    except OSError:
        pass
    spec = importlib.util.find_spec("pyogrio")
    if spec is not None and spec.origin:
        here = os.path.dirname(spec.origin)
        for pattern in (
            os.path.join(here, os.pardir, "pyogrio.libs", "libgdal*"),  # Linux wheels
            os.path.join(here, ".dylibs", "libgdal*"),  # macOS wheels
            os.path.join(here, os.pardir, "pyogrio.libs", "gdal*.dll"),  # Windows wheels
        ):
            paths += sorted(glob.glob(pattern))
    import ctypes.util

    found = ctypes.util.find_library("gdal")
    if found:
        paths.append(found)
    return paths


def _refuse(url: bytes | None, *_args: Any) -> int | None:
    """The fetch callback: every request fails with :data:`REFUSED`, nothing is sent."""
    text = (url or b"").decode("utf-8", "replace")
    refused_urls.append(text)
    del refused_urls[:-100]
    log.warning("GDAL asked for %s; refused (%s)", text[:200], REFUSED)
    lib = _lib
    # GDAL frees the result with CPLHTTPDestroyResult: allocate it with GDAL's allocator
    pointer = lib.VSICalloc(1, ctypes.sizeof(_HTTPResult))
    if not pointer:
        return None
    result = _HTTPResult.from_address(pointer)
    result.nStatus = 1
    result.pszErrBuf = lib.CPLStrdup(REFUSED.encode())
    return int(pointer)


_CALLBACK = _FETCH(_refuse)


@contextmanager
def offline() -> Iterator[None]:
    """Within the block, GDAL and PROJ make no network request from this thread.

    Nests freely; the outermost block restores GDAL's previous settings.

    >>> with offline():
    ...     pass
    """
    depth = getattr(_state, "depth", 0)
    _state.depth = depth + 1
    if _process_wide and _hook_pending:
        _hook_process()
    if depth or _process_wide:
        try:
            yield
        finally:
            _state.depth = depth
        return
    lib = _gdal_library()
    saved: dict[str, bytes | None] = {}
    pushed = False
    proj = _proj_network(False)
    gdal_proj = False
    try:
        if lib is not None:
            gdal_proj = bool(lib.OSRGetPROJEnableNetwork())
            if gdal_proj:
                lib.OSRSetPROJEnableNetwork(0)
            for key, value in OFFLINE_OPTIONS.items():
                saved[key] = lib.CPLGetThreadLocalConfigOption(key.encode(), None)
                lib.CPLSetThreadLocalConfigOption(key.encode(), value.encode())
            pushed = bool(lib.CPLHTTPPushFetchCallback(_CALLBACK, None))
        else:
            _set_process_options()
        yield
    finally:
        _state.depth = depth
        if lib is not None:
            if pushed:
                lib.CPLHTTPPopFetchCallback()
            for key, old in saved.items():
                lib.CPLSetThreadLocalConfigOption(key.encode(), old)
            if gdal_proj:
                lib.OSRSetPROJEnableNetwork(1)
        _proj_network(proj)


def offline_process() -> None:
    """Switch GDAL's and PROJ's network off for the rest of the process (the CLI's way).

    Environment variables reach GDAL even before it is loaded. The fetch callback needs
    ``libgdal`` itself, whose loading costs about 0.05 s: it is set by the first
    :func:`offline` block (every read of an input is one), so a command that reads no file
    through GDAL (``summary --register``) never loads it.
    """
    global _process_wide, _hook_pending
    _set_process_options()
    _proj_network(False)
    _process_wide = True
    _hook_pending = True


def _hook_process() -> None:
    """The process-wide fetch callback and options, set once (see :func:`offline_process`)."""
    global _hook_pending
    with _hook_lock:  # a second thread waits until the callback is in place
        if not _hook_pending:
            return
        lib = _gdal_library()
        if lib is not None:
            for key, value in OFFLINE_OPTIONS.items():
                lib.CPLSetConfigOption(key.encode(), value.encode())
            lib.CPLHTTPSetFetchCallback(_CALLBACK, None)
            lib.OSRSetPROJEnableNetwork(0)
        _proj_network(False)
        _hook_pending = False


def _set_process_options() -> None:
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ[key] = value


def _proj_network(enabled: bool | None) -> bool | None:
    """Set pyproj's network switch (when pyproj is loaded); return its previous value."""
    import sys

    if enabled is None or "pyproj" not in sys.modules:
        return None
    from pyproj import network

    # pyproj.network re-exports these from its C module without listing them in __all__
    before = bool(network.is_network_enabled())  # type: ignore[attr-defined]
    if before != enabled:
        network.set_network_enabled(active=enabled)  # type: ignore[attr-defined]
    return before
