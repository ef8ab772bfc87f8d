"""File plumbing shared by the readers: hashing, text decoding, safe zip unpacking, JSON.

Only this module touches raw bytes; the readers get decoded text, parsed JSON or a folder of
unpacked members.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import ParseError

from .._errors import InputError, LimitExceededError
from ..limits import Limits, json_depth

log = logging.getLogger("damage_data.readers")

ZIP_MAGIC = b"PK\x03\x04"
#: How far into a file a zip header is looked for (real packages carry junk prefixes).
ZIP_PREFIX_SCAN = 64 * 1024


def short_error(err: BaseException) -> str:
    """The first line of an error from a library (GDAL, Arrow), cut for a message."""
    return str(err).splitlines()[0][:200] if str(err) else type(err).__name__


def head_bytes(path: Path, n: int = ZIP_PREFIX_SCAN) -> bytes:
    with path.open("rb") as handle:
        return handle.read(n)


def looks_binary(data: bytes) -> bool:
    """Whether bytes look like binary rather than text (UTF-16 text is not binary)."""
    if not data:
        return False
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        # UTF-16 without a BOM has a NUL in every other byte; anything else is binary
        odd, even = sample[1::2], sample[0::2]
        return not (odd.count(0) > 0.4 * len(odd) or even.count(0) > 0.4 * len(even))
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return control > 0.05 * len(sample)


def decode_text(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Decode a text file: the given encoding, a BOM, UTF-8, or charset-normalizer's best guess.

    Returns the text and the encoding used. Raises :class:`InputError` when nothing decodes.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as err:
            raise InputError(
                f"{path}: cannot decode as {encoding} ({err}); leave encoding unset to "
                "detect it, or pass the right one (e.g. encoding='cp1251').",
                path=str(path),
            ) from err
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as err:
                raise InputError(
                    f"{path}: starts with a {name} byte-order mark but is not valid {name} "
                    f"(byte {err.start}: {err.reason}); the file may be truncated or "
                    "mislabelled. Re-save it as UTF-8, or pass encoding=.",
                    path=str(path),
                ) from err
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        _refuse_mixed_utf8(data, path, err)
    from charset_normalizer import from_bytes

    sample = data[: 1 << 20]
    guess = from_bytes(sample).best()
    candidates = list(LEGACY_ENCODINGS)
    if guess is not None and guess.encoding and guess.encoding not in candidates:
        candidates.append(guess.encoding)
    ranked = sorted(
        ((plausibility(sample, name), -i, name) for i, name in enumerate(candidates)),
        reverse=True,
    )
    error: UnicodeDecodeError | None = None
    for score, _, name in ranked:
        if score == float("-inf"):
            break
        try:
            return data.decode(name), name
        except UnicodeDecodeError as err:  # the sample was the first MB only
            error = err
    raise InputError(
        f"{path}: the text encoding could not be detected"
        + (f" (the best guess fails at byte {error.start})" if error else "")
        + "; pass encoding= (e.g. 'cp1251', 'cp1254', 'latin-1').",
        path=str(path),
    )


#: Legacy encodings tried for text that is not UTF-8, in order of preference when two read
#: equally well: the regions the bundled boundaries cover first (Cyrillic, Turkish and
#: Azerbaijani Latin), then western and central Europe, the Baltic, Arabic, Greek, Hebrew.
LEGACY_ENCODINGS = (
    "cp1251",
    "cp1254",
    "cp1252",
    "cp1250",
    "cp1257",
    "koi8_r",
    "koi8_u",
    "cp866",
    "cp1256",
    "cp1253",
    "cp1255",
    "latin_1",
)
#: Punctuation legacy encodings hold beyond ASCII that a table may well contain.
_FAIR_SYMBOLS = frozenset("«»–—„“”‘’‚…№°·•€£¥§©®±×÷¶\u00a0")


def plausibility(data: bytes, encoding: str) -> float:
    """How much ``data`` decoded as ``encoding`` looks like text (``-inf``: it does not decode).

    charset-normalizer alone is unreliable on short samples (a few Cyrillic place names
    come out as ``mac_cyrillic``). Each non-ASCII letter scores 1; a symbol or control
    character no table holds costs 3; a word mixing scripts (Cyrillic and Latin letters)
    or with a capital after a small letter (``фИЗУЛИ``: KOI8-R read as cp1251) costs 2.

    >>> text = "Физули,4".encode("cp1251")
    >>> plausibility(text, "cp1251") > plausibility(text, "mac_cyrillic")
    True
    """
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return float("-inf")
    score = 0.0
    for char in text:
        if ord(char) < 128:
            continue
        if char.isalpha():
            score += 1
        elif char not in _FAIR_SYMBOLS:
            score -= 3
    for word in re.findall(r"[^\W\d_]+", text):
        if word.isascii():
            continue
        scripts = {unicodedata.name(c, "?").split(" ")[0] for c in word}
        if len(scripts) > 1:
            score -= 2
        if any(a.islower() and b.isupper() for a, b in pairwise(word)):
            score -= 2
    return score


def _refuse_mixed_utf8(data: bytes, path: Path, err: UnicodeDecodeError) -> None:
    """Raise when a file is UTF-8 in places and something else elsewhere (mixed encodings).

    A guessed single encoding would turn the UTF-8 lines into mojibake (``FÃ¼zuli``) that
    then fails place matching quietly; naming the first bad line is more useful. A file in
    one legacy encoding (cp1251, latin-1) almost never has a line of valid multi-byte UTF-8,
    so a tenth of the non-ASCII lines being UTF-8 is taken as the sign of a mix.
    """
    utf8_lines, other_lines, first_bad = 0, 0, None
    for number, line in enumerate(data.splitlines(), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
        except UnicodeDecodeError as line_err:
            other_lines += 1
            if first_bad is None:
                first_bad = (number, line_err.start, line[line_err.start])
    if utf8_lines == 0 or first_bad is None or utf8_lines < 0.1 * (utf8_lines + other_lines):
        return
    number, column, byte = first_bad
    raise InputError(
        f"{path}: mixed text encodings: {utf8_lines} line(s) are UTF-8 but line {number} is "
        f"not (byte 0x{byte:02x} at position {column + 1}). Re-save the whole file in one "
        "encoding (UTF-8), or pass encoding= to read every line with one encoding.",
        path=str(path),
        line=number,
    ) from err


def load_json(path: Path, limits: Limits, encoding: str | None = None) -> Any:
    """Parse a JSON file, enforcing the nesting limit."""
    text, _ = decode_text(path.read_bytes(), path, encoding)
    try:
        value = json.loads(text)
    except RecursionError as err:
        raise LimitExceededError(
            f"{path}: JSON nested too deeply to parse; the limit is {limits.max_json_depth}.",
            path=str(path),
        ) from err
    except json.JSONDecodeError as err:
        raise InputError(
            f"{path}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); "
            "the file may be truncated.",
            path=str(path),
        ) from err
    depth = json_depth(value, limits.max_json_depth)
    if depth > limits.max_json_depth:
        raise LimitExceededError(
            f"{path}: JSON nesting deeper than {limits.max_json_depth} levels; pass "
            "limits=Limits(max_json_depth=...) if the file is trusted.",
            path=str(path),
        )
    return value


#: Suffixes of XML vector formats, screened for entity declarations before GDAL reads them.
XML_SUFFIXES = (".kml", ".gpx", ".gml", ".xml")


def refuse_xml_entities(path: Path) -> None:
    """Raise :class:`InputError` when an XML file declares entities or is not XML at all.

    ``defusedxml`` refuses entity declarations (external ones read local files or URLs;
    internal ones nest into "billion laughs"). Only the prolog is parsed: declarations
    come before the first element, so a large KML costs nothing.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        for _event, _element in iterparse(
            str(path), events=("start",), forbid_dtd=False, forbid_entities=True
        ):
            break
    except DefusedXmlException as err:
        raise InputError(
            f"{path}: the XML declares entities ({type(err).__name__}); refused, as entities "
            "can read local files or expand without bound. Remove the <!DOCTYPE ...> block "
            "(KML and GPX never need one).",
            path=str(path),
        ) from err
    except ParseError as err:
        raise InputError(
            f"{path}: not well-formed XML ({err}); the file may be truncated.", path=str(path)
        ) from err


def is_zip(path: Path) -> bool:
    """Whether a file is a zip archive, also when junk bytes come before the first header."""
    if zipfile.is_zipfile(path):
        return True
    return ZIP_MAGIC in head_bytes(path)


def _safe_member_name(name: str) -> PurePosixPath | None:
    """The member's relative path, or ``None`` when it is absolute, climbs out or is empty."""
    normal = name.replace("\\", "/")
    pure = PurePosixPath(normal)
    if pure.is_absolute() or normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return None
    if any(part == ".." for part in pure.parts) or not pure.parts:
        return None  # ".." climbs out; "." or "" would overwrite the unpack folder itself
    return pure


@contextmanager
def unpacked_zip(path: Path, limits: Limits) -> Iterator[Path]:
    """Unpack a zip archive into a temporary folder, safely; yield the folder.

    Members with absolute names or ``..`` are refused, as are archives over the member,
    size or compression-ratio limits. Python's :mod:`zipfile` finds the central directory
    from the end, so junk bytes before the first header are tolerated. Nested zips are
    unpacked one level deep (newest Copernicus products ship a zip per product).
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
        raise InputError(
            f"{path}: not a readable zip archive ({err}); the download may be truncated.",
            path=str(path),
        ) from err
    tmp = Path(tempfile.mkdtemp(prefix="damage_data_zip_"))
    try:
        with archive:
            # one budget for the archive and its nested zips: nesting must not multiply it
            budget = limits.max_uncompressed_bytes - _extract_all(
                archive, tmp, path, limits, limits.max_uncompressed_bytes
            )
        for inner in list(tmp.rglob("*.zip")):
            target = inner.with_suffix("")
            try:
                target.mkdir(exist_ok=True)
                with zipfile.ZipFile(inner) as nested:
                    budget -= _extract_all(nested, target, path, limits, budget)
            except (zipfile.BadZipFile, OSError) as err:
                if isinstance(err, InputError):
                    raise
                log.warning("%s: nested member %s is not a readable zip; skipped", path, inner.name)
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_zip_sizes(path: Path, limits: Limits, *, shown_as: Path | None = None) -> None:
    """Apply the zip limits (members, unpacked size, ratio) to an archive read in place.

    For zip-based formats opened by other libraries (XLSX): nothing is unpacked here.
    """
    shown = shown_as or path
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
        raise InputError(
            f"{shown}: not a readable zip-based file ({err}); it may be truncated, or not "
            "what its extension says.",
            path=str(shown),
        ) from err
    if len(infos) > limits.max_zip_members:
        raise LimitExceededError(
            f"{shown}: {len(infos):,} zip members, over the limit of {limits.max_zip_members:,}.",
            path=str(shown),
        )
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise LimitExceededError(
            f"{shown}: unpacks to {total:,} bytes, over the limit of "
            f"{limits.max_uncompressed_bytes:,}.",
            path=str(shown),
        )
    check_ratios(infos, shown, limits)


#: Below this many unpacked bytes, a high compression ratio is no threat (a tiny sparse file).
RATIO_FLOOR = 1 << 20


def check_ratios(infos: list[zipfile.ZipInfo], shown: Path, limits: Limits) -> None:
    """Refuse a zip bomb: a member, or the members together, expanding past the ratio limit.

    The whole archive is checked as well as each member: many members of exactly 1 MiB
    (each under a per-member floor) can add up to hundreds of MiB from a few hundred KiB.
    """
    limit = limits.max_compression_ratio
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_FLOOR and ratio > limit:
            raise LimitExceededError(
                f"{shown}: zip member {info.filename!r} expands {ratio:.0f}-fold, over the "
                f"limit of {limit:.0f} (possible zip bomb).",
                path=str(shown),
            )
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    ratio = unpacked / max(packed, 1)
    if unpacked >= RATIO_FLOOR and ratio > limit:
        raise LimitExceededError(
            f"{shown}: {len(infos):,} zip members expand {ratio:.0f}-fold together "
            f"({packed:,} to {unpacked:,} bytes), over the limit of {limit:.0f} (possible "
            "zip bomb); pass limits=Limits(max_compression_ratio=...) if the archive is trusted.",
            path=str(shown),
        )


def _extract_all(
    archive: zipfile.ZipFile, dest: Path, path: Path, limits: Limits, budget: int
) -> int:
    """Unpack every member of ``archive`` into ``dest``; return the bytes written.

    ``budget`` is what may still be unpacked (bytes) under ``limits.max_uncompressed_bytes``.
    """
    infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        raise LimitExceededError(
            f"{path}: zip has {len(infos):,} members, over the limit of "
            f"{limits.max_zip_members:,}.",
            path=str(path),
        )
    total = sum(i.file_size for i in infos)
    if total > budget:
        raise LimitExceededError(
            f"{path}: zip unpacks to {total:,} bytes, over the limit of "
            f"{limits.max_uncompressed_bytes:,}; pass limits=Limits(max_uncompressed_bytes=...) "
            "if the archive is trusted.",
            path=str(path),
        )
    check_ratios(infos, path, limits)
    total_written = 0
    for info in infos:
        name = _safe_member_name(info.filename)
        if name is None:
            raise InputError(
                f"{path}: zip member {info.filename!r} has an absolute, '..' or empty path; refused "
                "(it could write outside the unpack folder). Re-pack the archive with "
                "relative names.",
                path=str(path),
            )
        if info.is_dir():
            continue
        target = dest.joinpath(*name.parts)
        # copy with a running count: the declared size in the header could lie
        written = 0
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, target.open("wb") as out:
                while chunk := src.read(1 << 20):
                    written += len(chunk)
                    if written > info.file_size or total_written + written > budget:
                        raise LimitExceededError(
                            f"{path}: zip member {info.filename!r} unpacks beyond its "
                            "declared size or the unpacked-size limit "
                            f"({limits.max_uncompressed_bytes:,} bytes); refused.",
                            path=str(path),
                        )
                    out.write(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as err:
            # RuntimeError: encrypted members; NotImplementedError: unknown compression
            if isinstance(err, LimitExceededError):
                raise
            raise InputError(
                f"{path}: zip member {info.filename!r} cannot be unpacked ({err}); the archive "
                "may be truncated, encrypted or use an unsupported compression.",
                path=str(path),
            ) from err
        total_written += written
    return total_written
