"""SHA-256 of input files: one function for every reader, kept per process, and started early.

A file's SHA-256 is its source's identity (``source_id`` is ``sha256:`` and its first 16
hex digits), so every path that reads a file hashes it. Two things make that cheap:

* the digest of a file is kept per process, keyed by its resolved path, size and
  modification time, so a file hashed by the reader is not hashed again by the register
  (``ingest`` of a GeoParquet file used to read it twice for that);
* the CLI calls :func:`hash_ahead` on its inputs before it imports pandas and the readers:
  hashing (which releases the GIL) then runs on the idle core during the imports instead of
  competing with the counting threads later (about 0.25 s of CPU for a 230 MB file).

Standard library only: this module is imported before anything heavy.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path

__all__ = ["AHEAD_MIN_BYTES", "file_sha256", "hash_ahead", "path_sha256"]

#: Files smaller than this are not hashed ahead: hashing them takes less than a thread costs.
AHEAD_MIN_BYTES = 8 << 20
_CHUNK = 1 << 22
_KEPT = 256  # digests kept per process (a notebook that reads many files stays bounded)

_Key = tuple[str, int, int]
_DIGESTS: OrderedDict[_Key, Future[str]] = OrderedDict()
_LOCK = threading.Lock()


def _key(path: Path) -> _Key | None:
    try:
        st = path.stat()
        return (str(path.resolve()), st.st_size, st.st_mtime_ns)
    except OSError:
        return None


def _digest(path: Path, stop: threading.Event | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if stop is not None and stop.is_set():
                return ""
            digest.update(chunk)
    return digest.hexdigest()


def _keep(key: _Key, future: Future[str]) -> Future[str]:
    """The future already kept for ``key``, else ``future`` (now kept)."""
    with _LOCK:
        kept = _DIGESTS.get(key)
        if kept is not None:
            _DIGESTS.move_to_end(key)
            return kept
        _DIGESTS[key] = future
        while len(_DIGESTS) > _KEPT:
            _DIGESTS.popitem(last=False)
    return future


def _run(path: Path, future: Future[str]) -> None:
    if not future.set_running_or_notify_cancel():
        return
    try:
        future.set_result(_digest(path))
    except BaseException as err:  # handed to whoever asks for the digest
        future.set_exception(err)


def hash_ahead(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Start hashing the large regular files among ``paths`` on background threads.

    Daemon threads: a command that fails early exits without waiting for them. Folders,
    missing files and files under :data:`AHEAD_MIN_BYTES` are left to be hashed when read.
    """
    for item in paths:
        path = Path(item)
        key = _key(path)
        if key is None or key[1] < AHEAD_MIN_BYTES or not path.is_file():
            continue
        future: Future[str] = Future()
        if _keep(key, future) is future:
            threading.Thread(
                target=_run, args=(path, future), name="sha256-ahead", daemon=True
            ).start()


def file_sha256(path: str | os.PathLike[str], *, stop: threading.Event | None = None) -> str:
    """SHA-256 (hex) of a file's bytes; computed once per process for an unchanged file.

    Parameters
    ----------
    path
        A regular file.
    stop
        Setting this event abandons a hash computed by this call (the empty string is
        returned, and nothing is kept).

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(delete=False) as f:
    ...     _ = f.write(b"abc")
    >>> file_sha256(f.name)[:16]
    'ba7816bf8f01cfea'
    """
    p = Path(path)
    key = _key(p)
    if key is not None:
        with _LOCK:
            kept = _DIGESTS.get(key)
        if kept is not None:
            return kept.result()
    digest = _digest(p, stop)
    if key is not None and digest:
        done: Future[str] = Future()
        done.set_result(digest)
        _keep(key, done)
    return digest


def path_sha256(path: str | os.PathLike[str], *, stop: threading.Event | None = None) -> str:
    """The identity of an input: the SHA-256 of a file's bytes, or for a folder the SHA-256 of
    each file's relative POSIX path and digest, files in name order.

    Every reader and the register use this one definition, so a folder read by ``load``,
    counted by streaming or ingested gets one ``source_id``. Setting ``stop`` abandons the
    hash (the empty string is returned).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_bytes(b"abc")
    >>> expected = hashlib.sha256(b"a.txt" + hashlib.sha256(b"abc").hexdigest().encode())
    >>> path_sha256(folder) == expected.hexdigest()
    True
    """
    p = Path(path)
    if not p.is_dir():
        return file_sha256(p, stop=stop)
    digest = hashlib.sha256()
    for file in sorted(f for f in p.rglob("*") if f.is_file()):
        one = file_sha256(file, stop=stop)
        if not one:
            return ""
        digest.update(file.relative_to(p).as_posix().encode())
        digest.update(one.encode())
    return digest.hexdigest()
