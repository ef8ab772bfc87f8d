"""Writing files out: safe CSV text and atomic writes (figures/maps ``save`` lives here too)."""

from __future__ import annotations

import errno
import io
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ._errors import DamageDataError, UsageError
from .style import CSS_DPI, FIGSIZE, SAVE_RC, anatomy_of, layout

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


#: Characters no link may hold: blanks, controls, and what ends a Markdown or HTML link.
_NOT_IN_LINKS = re.compile(r"[\s\x00-\x1f\x7f<>\"'`]")

#: Control characters a spreadsheet cell cannot hold (XML 1.0 forbids them in .xlsx).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise_cell(value: object) -> object:
    r"""Prefix text cells that a spreadsheet would run as a formula with a quote, and show
    control characters (which no workbook can hold) as U+FFFD.

    Numbers stay numbers: only strings are changed.

    Parameters
    ----------
    value
        A cell of a table about to be written.

    Returns
    -------
    object
        The cell; text that starts like a formula gets a leading ``'``.

    Examples
    --------
    >>> neutralise_cell('=HYPERLINK("x")')
    '\'=HYPERLINK("x")'
    >>> neutralise_cell(-3)
    -3
    >>> neutralise_cell("Fuz\x01uli") == "Fuz\ufffduli"
    True
    """
    if not isinstance(value, str):
        return value
    if CONTROL_CHARACTERS.search(value):
        value = CONTROL_CHARACTERS.sub("\ufffd", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every text cell that starts a formula neutralised.

    Parameters
    ----------
    table
        Any table about to be written for a spreadsheet.

    Returns
    -------
    pandas.DataFrame
        A copy, text cells passed through :func:`neutralise_cell` (categories become text).

    Examples
    --------
    >>> import pandas as pd
    >>> neutralise_formulas(pd.DataFrame({"a": ["=1+1", "Fuzuli"], "n": [-1, 2]})).to_dict("list")
    {'a': ["'=1+1", 'Fuzuli'], 'n': [-1, 2]}
    """
    import pandas as pd

    out = table.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            # categories are text too; exported copies need not keep the category dtype
            out[column] = out[column].astype(object)
            dtype = out[column].dtype
        if str(dtype) in ("object", "string", "str"):
            out[column] = out[column].map(neutralise_cell, na_action="ignore")
    return out


def safe_csv_text(table: pd.DataFrame) -> str:
    """CSV text of ``table`` with formula-like cells neutralised.

    Parameters
    ----------
    table
        The table to write.

    Returns
    -------
    str
        The CSV text, header first, without the index.

    Examples
    --------
    >>> import pandas as pd
    >>> print(safe_csv_text(pd.DataFrame({"place": ["@SUM(A1)"], "count": [3]})), end="")
    place,count
    '@SUM(A1),3
    """
    buffer = io.StringIO()
    neutralise_formulas(table).to_csv(buffer, index=False)
    return buffer.getvalue()


class OutputError(DamageDataError, OSError):
    """An output that cannot be written: a full disk, a read-only folder (exit code 3)."""

    exit_code = 3


#: Errors of the machine, not of the program: a full disk, a read-only or missing folder.
_ENVIRONMENT_ERRNOS = {
    errno.ENOSPC: "the disk is full; free some space or write elsewhere (-o)",
    getattr(errno, "EDQUOT", -2): "the disk quota is exceeded; free some space or "
    "write elsewhere (-o)",
    errno.EFBIG: "the file would be too large for this file system",
    errno.EROFS: "the file system is read-only; write elsewhere (-o)",
    errno.EACCES: "permission denied; check the folder's permissions or write elsewhere (-o)",
    errno.EPERM: "operation not permitted; check the permissions or write elsewhere (-o)",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ELOOP: "too many levels of symbolic links",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EIO: "input/output error from the device",
}


def environment_error(err: OSError) -> str | None:
    """A clear message for an error of the machine (disk full, read-only folder), else ``None``.

    Parameters
    ----------
    err
        The error the operating system raised.

    Returns
    -------
    str or None
        ``FILE: what happened: what to do``, or ``None`` for an error that is not the
        machine's (the caller reports it as it is).

    Examples
    --------
    >>> environment_error(OSError(errno.ENOSPC, "No space left on device", "out.csv"))
    'out.csv: No space left on device: the disk is full; free some space or write elsewhere (-o)'
    >>> environment_error(OSError(errno.EINVAL, "Invalid argument")) is None
    True
    """
    why = _ENVIRONMENT_ERRNOS.get(err.errno or -1)
    if why is None:
        return None
    where = f"{err.filename}: " if err.filename else ""
    return f"{where}{err.strerror or os.strerror(err.errno or 0)}: {why}"


def umask() -> int:
    """The process umask (read without changing it for longer than a call).

    Returns
    -------
    int
        The permission bits new files are made without.

    Examples
    --------
    >>> 0 <= umask() <= 0o777
    True
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def user_mode(path: Path, *, folder: bool = False) -> None:
    """Give a file or folder the permissions the user's umask asks for (``mkstemp`` and
    ``mkdtemp`` make them private, 0600/0700, which is wrong for outputs to share).

    Parameters
    ----------
    path
        The file or folder.
    folder
        Whether ``path`` is a folder (folders get the execute bits too).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkstemp()[1])
    >>> user_mode(path)
    >>> path.stat().st_mode & 0o777 == 0o666 & ~umask()
    True
    """
    os.chmod(path, (0o777 if folder else 0o666) & ~umask())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    r"""Write ``data`` to ``path`` through a temporary file and a rename (never half-written).

    Parameters
    ----------
    path
        The file to write; its folder is made if missing.
    data
        The file's bytes.

    Raises
    ------
    OutputError
        Naming the file and the fix when the machine refuses (disk full, read-only folder);
        the temporary file is removed and ``path`` left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "sub" / "a.bin"
    >>> atomic_write_bytes(out, b"\x00\x01")
    >>> out.read_bytes(), [p.name for p in out.parent.iterdir()]
    (b'\x00\x01', ['a.bin'])
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise output_error(path, err) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        user_mode(Path(tmp))
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and not isinstance(err, DamageDataError):
            raise output_error(path, err) from err
        raise


def output_error(path: Path, err: OSError) -> OutputError:
    """The error to raise when ``path`` cannot be written: it names ``path`` (never a
    temporary file's name) and the fix.

    Parameters
    ----------
    path
        The file (or folder) the user asked for.
    err
        The error raised while writing it, perhaps naming a temporary file.

    Returns
    -------
    OutputError
        The error to raise (exit code 3).

    Examples
    --------
    >>> str(output_error(Path("out.csv"), OSError(errno.EROFS, "Read-only file system",
    ...                                           ".out.csv.x1.tmp")))
    'out.csv: cannot write: Read-only file system: the file system is read-only; write elsewhere (-o)'
    """
    why = environment_error(err)
    if why is None:
        why = f"{err.strerror or err}"
    elif err.filename and str(err.filename) != str(path):
        # the temporary file's name means nothing to the user: name the target instead
        why = why.replace(f"{err.filename}: ", "", 1)
    return OutputError(f"{path}: cannot write: {why}", path=str(path))


def atomic_write_text(path: Path, text: str) -> None:
    r"""Write UTF-8 text atomically (see :func:`atomic_write_bytes`).

    Parameters
    ----------
    path
        The file to write.
    text
        Its text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write_text(out, "Ağdam")
    >>> out.read_bytes()
    b'A\xc4\x9fdam'
    """
    atomic_write_bytes(path, text.encode("utf-8"))


# --------------------------------------------------------------------------- text out


def md_text(value: object) -> str:
    r"""Text safe inside Markdown (and the HTML it becomes): markup characters escaped,
    ``<`` and ``&`` as entities, line breaks as spaces, so a file name or a title from an
    input can neither inject HTML nor break a table.

    Parameters
    ----------
    value
        Any value from an input; it is written as ``str(value)``.

    Returns
    -------
    str
        One line of escaped text (control characters shown as U+FFFD).

    Examples
    --------
    >>> md_text("<img src=x onerror=alert(1)> | a")
    '&lt;img src=x onerror=alert(1)&gt; \\| a'
    """
    text = " ".join(str(value).split())
    # control characters (an escape sequence planted in a title) are shown, never passed on
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]", "\ufffd", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]|~])", r"\\\1", text)


def safe_url(value: object) -> str | None:
    """An absolute http(s) URL fit to link to, else ``None`` (``javascript:``, ``data:``,
    files, addresses without a host, or with spaces, quotes or angle brackets that could
    end the link or the attribute holding it).

    Parameters
    ----------
    value
        An address from an input (a source's ``url``).

    Returns
    -------
    str or None
        The address without surrounding blanks, or ``None`` when it must not be a link.

    Examples
    --------
    >>> safe_url(" https://report.az/x?a=1 "), safe_url("javascript:alert(1)")
    ('https://report.az/x?a=1', None)
    >>> safe_url("//example.org/x"), safe_url("https://exa mple.org")
    (None, None)
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or _NOT_IN_LINKS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def markdown_table(table: pd.DataFrame) -> str:
    r"""A Markdown table; every cell escaped (see :func:`md_text`), missing cells empty.

    Parameters
    ----------
    table
        The table; whole floats are written without ``.0``, timestamps as dates.

    Returns
    -------
    str
        Header, rule and one line per row, ending in a newline.

    Examples
    --------
    >>> import pandas as pd
    >>> print(markdown_table(pd.DataFrame({"unit": ["A|B"], "n": [3.0], "m": [None]})), end="")
    | unit | n | m |
    |---|---|---|
    | A\|B | 3 |  |
    """
    import pandas as pd

    def cell(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
            return ""
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d")
        if isinstance(value, float) and value.is_integer():
            return f"{int(value)}"
        return md_text(value)

    head = "| " + " | ".join(md_text(c) for c in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([head, rule, *body]) + "\n"


# --------------------------------------------------------------------------- figures

#: Export presets: web = 640×450 CSS px at 2× (PNG 1280×900) or SVG; print = PDF in mm.
PRESETS: tuple[str, ...] = ("web", "print", "plain")
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
WEB_SCALE = 2
#: Default print size: the web card's proportions at a one-and-a-half-column width.
PRINT_SIZE_MM: tuple[float, float] = (160.0, 112.5)
MM_PER_INCH = 25.4
PRINT_DPI = 300


def save(
    fig: Figure,
    path: str | os.PathLike[str],
    *,
    preset: str = "web",
    title: str | None = None,
    alt_text: str | None = None,
    size_mm: tuple[float, float] | None = None,
) -> Path:
    """Write ``fig`` to PNG, SVG or PDF at a publishing preset, with title and alt text inside.

    Parameters
    ----------
    fig
        The figure (ideally laid out with :func:`damage_data.style.finalise`).
    path
        Output file; the extension picks the format: ``.png``, ``.svg`` or ``.pdf``.
    preset
        ``web``: 640×450 CSS px; PNG at 2× (exactly 1280×900 pixels), SVG sized 640×450 px.
        ``print``: the size ``size_mm`` (default 160×112.5 mm), PNG at 300 dpi.
        ``plain``: the figure's own size and dpi.
    title, alt_text
        Embedded as PNG text chunks ``Title``/``Description``, SVG ``<title>``/``<desc>`` and
        PDF ``Title``/``Subject``. Default: those given to ``finalise``.
    size_mm
        Width and height in millimetres for the ``print`` preset.

    Returns
    -------
    pathlib.Path
        The path written (atomically: a failed export never leaves half a file).

    Examples
    --------
    >>> import matplotlib.pyplot as plt, tempfile, pathlib
    >>> fig, ax = plt.subplots()
    >>> out = save(fig, pathlib.Path(tempfile.mkdtemp()) / "a.png", title="A")
    >>> from PIL import Image
    >>> Image.open(out).size
    (1280, 900)
    >>> plt.close(fig)
    """
    out = Path(path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FIGURE_FORMATS:
        raise UsageError(
            f"{out}: unknown figure format {out.suffix or '(none)'!r}; use one "
            f"of: {', '.join('.' + f for f in FIGURE_FORMATS)}"
        )
    if preset not in PRESETS:
        raise UsageError(f"unknown preset {preset!r}; choose one of: {', '.join(PRESETS)}")
    if size_mm is not None and preset != "print":
        raise UsageError("size_mm applies to the print preset only; add preset='print'")
    anatomy = anatomy_of(fig)
    if title is None and anatomy is not None:
        title = anatomy.title
    if alt_text is None and anatomy is not None:
        alt_text = anatomy.alt_text
    title = title or ""
    alt_text = alt_text or ""

    old_size, old_dpi = fig.get_size_inches().copy(), fig.dpi
    if preset == "web":
        size_in, dpi = FIGSIZE, float(CSS_DPI)
        save_dpi = float(CSS_DPI * WEB_SCALE if fmt == "png" else CSS_DPI)
    elif preset == "print":
        width_mm, height_mm = size_mm or PRINT_SIZE_MM
        if width_mm <= 0 or height_mm <= 0:
            raise UsageError(f"size_mm must be positive, got {size_mm!r}")
        size_in = (width_mm / MM_PER_INCH, height_mm / MM_PER_INCH)
        dpi = float(CSS_DPI)
        save_dpi = float(PRINT_DPI)
    else:
        size_in, dpi, save_dpi = (float(old_size[0]), float(old_size[1])), fig.dpi, fig.dpi
    resized = preset != "plain"
    import matplotlib as mpl

    try:
        if resized:
            # lay out at the dpi of the file: text widths do not scale exactly with dpi
            # (hinting), so measuring at another dpi can push a label past the margin
            fig.set_dpi(save_dpi if fmt == "png" else dpi)
            fig.set_size_inches(size_in, forward=False)
            layout(fig)
        buffer = io.BytesIO()
        with mpl.rc_context(SAVE_RC):  # type: ignore[arg-type]
            data = _render(
                fig,
                fmt,
                buffer,
                save_dpi=save_dpi,
                title=title,
                alt_text=alt_text,
                preset=preset,
                size_in=size_in,
            )
    finally:
        if resized:
            fig.set_dpi(old_dpi)
            fig.set_size_inches((float(old_size[0]), float(old_size[1])), forward=False)
            layout(fig)
    atomic_write_bytes(out, data)
    return out


def _render(
    fig: Figure,
    fmt: str,
    buffer: io.BytesIO,
    *,
    save_dpi: float,
    title: str,
    alt_text: str,
    preset: str,
    size_in: tuple[float, float],
) -> bytes:
    """The file's bytes, with title and alt text embedded where each format keeps them."""
    if fmt == "png":
        fig.savefig(
            buffer,
            format="png",
            dpi=save_dpi,
            metadata={"Title": title, "Description": alt_text, "Software": "damage_data"},
        )
        return buffer.getvalue()
    if fmt == "svg":
        # no date: the same figure gives the same bytes (report folders can be diffed)
        fig.savefig(
            buffer,
            format="svg",
            metadata={"Title": title or None, "Description": alt_text or None, "Date": None},
        )
        px = (size_in[0] * CSS_DPI, size_in[1] * CSS_DPI) if preset == "web" else None
        return _svg_accessible(buffer.getvalue(), title, alt_text, px=px)
    fig.savefig(
        buffer,
        format="pdf",
        metadata={
            "Title": title or None,
            "Subject": alt_text or None,
            "Keywords": "structure damage; damage_data",
            "Creator": "damage_data",
            "CreationDate": None,
        },
    )
    return buffer.getvalue()


def _svg_accessible(svg: bytes, title: str, alt_text: str, px: tuple[float, float] | None) -> bytes:
    """Add ``<title>``/``<desc>`` as the first children of the root ``<svg>`` (what screen
    readers announce) and, for the web, size it in CSS pixels instead of points."""
    from xml.sax.saxutils import escape

    text = svg.decode("utf-8")
    start = text.find("<svg")
    end = text.find(">", start)
    if start < 0 or end < 0:
        raise ValueError("matplotlib wrote an SVG without a root <svg> element")
    head = text[start:end]
    if px is not None:
        head = re.sub(r'width="[^"]*"', f'width="{px[0]:g}px"', head, count=1)
        head = re.sub(r'height="[^"]*"', f'height="{px[1]:g}px"', head, count=1)
    head += ' role="img" aria-labelledby="dd-title dd-desc"'
    # matplotlib writes its own bare <title> from the metadata: ours (with an id) replaces it
    text = re.sub(r"\s*<title>[^<]*</title>", "", text, count=1)
    start = text.find("<svg")
    end = text.find(">", start)
    inner = (
        f'\n <title id="dd-title">{escape(title)}</title>'
        f'\n <desc id="dd-desc">{escape(alt_text)}</desc>'
    )
    return (text[:start] + head + text[end : end + 1] + inner + text[end + 1 :]).encode("utf-8")
