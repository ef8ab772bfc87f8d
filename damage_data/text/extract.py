"""Figures from free text: every count of damaged structures, with the span it came from.

:func:`figures_from_text` reads a press report sentence by sentence (:mod:`._sentence`,
:mod:`._damage`), links the items across sentences (:mod:`._linking`) and turns them into
``figures`` records (:mod:`._records`); the word lists are the lexicons in ``data/lexicons``.
:func:`figures_from_file` reads a ``.txt`` / ``.md`` file and also returns its one-row
``sources`` table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import InputError, LimitExceededError, UsageError
from ..limits import DEFAULT_LIMITS, Limits
from ..tables import figure_id, join_flags, make_figures, make_table
from ._damage import decide_damage
from ._detect import language_blocks
from ._items import Item, SentenceResult
from ._lexicon import LANGUAGES, Lexicon, lexicon
from ._linking import link_across_sentences
from ._placing import Mention, find_mentions, resolve_anaphora, resolve_mentions
from ._records import figure_rows, garbled_sentences, review_only
from ._sentence import read_sentence
from ._tokens import Sentence, sentences

logger = logging.getLogger(__name__)


#: Extra columns beside ``tables.COLUMNS["figures"]``.
EXTRA_COLUMNS: tuple[str, ...] = ("start", "end", "rule")


def _as_date(value: object, what: str) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError as err:
        raise UsageError(
            f"{what} {value!r} is not a date; give it as YYYY-MM-DD (e.g. 2020-11-24)"
        ) from err


def source_id_for(text: str, source: str | None = None) -> str:
    """A stable source id from the content (and the title, when given).

    Parameters
    ----------
    text
        The report.
    source
        Its title; the same text under two titles gives two ids.

    Returns
    -------
    str
        ``s`` and 12 hexadecimal digits of a SHA-256.

    Examples
    --------
    >>> source_id_for("133 houses were destroyed.") == source_id_for("133 houses were destroyed.")
    True
    >>> len(source_id_for("133 houses were destroyed.", "wire.txt"))
    13
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return "s" + hashlib.sha256(f"{source or ''}|{digest}".encode()).hexdigest()[:12]


def check_text_size(size: int, what: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise when a text of ``size`` bytes is over ``limits.max_text_bytes``.

    Parameters
    ----------
    size
        Length of the text in bytes (UTF-8).
    what
        The file or source named in the message.
    limits
        The limits to check against.

    Examples
    --------
    >>> check_text_size(3_000_000, "wire.txt")
    Traceback (most recent call last):
    ...
    damage_data._errors.LimitExceededError: wire.txt: text is 3,000,000 bytes, ...
    """
    if size > limits.max_text_bytes:
        raise LimitExceededError(
            f"{what}: text is {size:,} bytes, over the limit of {limits.max_text_bytes:,} "
            "for a press report (reading time grows with length); split it, or raise the "
            "limit (command line: --max-text-mb; Python: limits=Limits(max_text_bytes=...)).",
            path=what,
        )


def figures_from_text(
    text: str,
    *,
    published: str | dt.date | None = None,
    source: str | None = None,
    lang: str = "auto",
    gazetteer: Any = None,
    limits: Limits = DEFAULT_LIMITS,
) -> pd.DataFrame:
    """Read the damage figures of a press report, each tied to the words it came from.

    Parameters
    ----------
    text
        The report (any length; one or more paragraphs).
    published
        Publication date (``YYYY-MM-DD``); relative dates ("on Tuesday", "since 27
        September") and ``as_of`` are read against it.
    source
        Title of the source; with the text it makes the ``source_id``.
    lang
        ``auto`` (script and stop words), or one of ``en, az, ru, uk, tr, de, fr, hy``.
    gazetteer
        Passed to :func:`damage_data.places.resolve_places` (default: the bundled one).
    limits
        Safety limits; a text longer than ``limits.max_text_bytes`` (UTF-8) is refused.

    Returns
    -------
    pandas.DataFrame
        A ``figures`` table (:data:`damage_data.tables.COLUMNS`) plus ``start``, ``end``
        (character offsets: ``evidence == text[start:end]``) and ``rule`` (the rules that
        fired, e.g. ``count_noun+trailing_damage``).
        Vague numbers, unresolved places, garbled or unsupported text come back with
        ``status == "needs_review"``, never dropped and never with a guessed number.

    Raises
    ------
    LimitExceededError
        The text is longer than ``limits.max_text_bytes``.

    Examples
    --------
    >>> f = figures_from_text("In Tartar district, 133 houses were destroyed.",
    ...                       published="2020-10-29")
    >>> f[["count", "damage", "structure", "unit_code"]].values.tolist()
    [[133, 'destroyed', 'residential', 'AZ-TAR']]
    """
    if not isinstance(text, str):
        raise UsageError(f"text must be a string, not {type(text).__name__}")
    # a character is at most 4 bytes of UTF-8: most texts are cleared without encoding them
    if len(text) * 4 > limits.max_text_bytes:
        check_text_size(len(text.encode("utf-8")), source or "the text", limits)
    pub = _as_date(published, "published")
    if lang != "auto" and lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; choose auto or one of {', '.join(LANGUAGES)}")
    sid = source_id_for(text, source)
    blocks = language_blocks(text) if lang == "auto" else [(0, len(text), lang)]
    rows: list[dict[str, Any]] = []
    for start, end, language in blocks:
        rows += _read_block(text, (start, end), language, sid, pub, gazetteer)
    rows.sort(key=lambda r: (r["start"], r["end"]))
    return _table(rows)


def _read_block(
    text: str,
    span: tuple[int, int],
    language: str,
    sid: str,
    pub: dt.date | None,
    gazetteer: Any,
) -> list[dict[str, Any]]:
    """Rows of one run of text in one language (offsets count from the start of ``text``)."""
    if language not in LANGUAGES:
        return review_only(text, sid, language, "unsupported_language", pub, span=span)
    lex = lexicon(language)
    sents = sentences(
        text,
        abbreviations=lex.raw.get("abbreviations", []),
        months=lex.raw.get("months", {}).keys(),
        span=span,
    )
    results: list[SentenceResult] = []
    mentions: dict[int, list[Mention]] = {}
    list_parent: Item | None = None
    for sent in sents:
        res = read_sentence(sent, lex)
        # "З них:" / "of which:" on a line of its own, then "- медичні заклади – 98;" lines:
        # every item of the bulleted lines is a part of the figure before the header
        bullet = sent.tokens[0].text in _BULLETS
        if list_parent is not None and bullet:
            for item in res.items:
                if item.parent is None:
                    item.parent, item.subset_cue = list_parent, True
                    item.flags.append("subset")
        elif _list_header(sent, lex):
            before = [it for r in results for it in r.items if it.excluded is None and it.count]
            list_parent = before[-1] if before else None
        else:
            list_parent = None
        decide_damage(res, lex)
        results.append(res)
        mentions[sent.index] = find_mentions(sent, text, lex, res.place_counts)
    items = [it for res in results for it in res.items]
    link_across_sentences(items)
    all_mentions = [m for ms in mentions.values() for m in ms]
    kept = resolve_mentions(all_mentions, gazetteer=gazetteer, lang=language)
    mentions = {i: [] for i in mentions}
    for m in kept:  # back to their sentences, in the resolver's order
        mentions[m.sentence.index].append(m)
    resolve_anaphora(mentions)
    rows = figure_rows(text, sents, results, items, mentions, lex, sid, pub)
    rows += garbled_sentences(text, sents, results, sid, language, pub)
    return rows


#: Characters that open a list line.
_BULLETS = frozenset({"-", "–", "—", "•", "·", "*", "▪"})


def _list_header(sent: Sentence, lex: Lexicon) -> bool:
    """Whether a sentence only announces a list of parts ("З них:", "Of which:", "Davon:")."""
    tokens = [t for t in sent.tokens if t.text not in (":", ".")]
    if not tokens or len(tokens) > 4:
        return False
    found = lex["subset_before"].match_at(tokens, 0)
    return found is not None and found[1] == len(tokens)


def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    # two records of one span (a figure, and the review row of its garbled sentence) keep
    # distinct ids: a review row takes the first index of its locator not yet used
    taken = {row["figure_id"] for row in rows if row.get("figure_id") is not None}
    for row in rows:
        if isinstance(row.get("flags"), list):
            row["flags"] = join_flags(row["flags"])
        if row.get("figure_id") is None:
            index = 0
            while (fid := figure_id(str(row["source_id"]), str(row["locator"]), index)) in taken:
                index += 1
            row["figure_id"] = fid
            taken.add(fid)
    frame = make_figures(rows) if rows else make_figures([])
    for column in EXTRA_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series(dtype="object")
    frame["start"] = frame["start"].astype("Int64")
    frame["end"] = frame["end"].astype("Int64")
    frame["rule"] = frame["rule"].astype("string")
    return frame.reset_index(drop=True)


#: File kinds :func:`figures_from_file` reads.
TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".text", ".markdown")


def figures_from_file(
    path: str | Path,
    *,
    published: str | dt.date | None = None,
    source: str | None = None,
    lang: str = "auto",
    gazetteer: Any = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figures and the one-row ``sources`` table of a ``.txt`` / ``.md`` press report.

    Parameters
    ----------
    path
        The file (UTF-8; a UTF-8 byte-order mark is dropped).
    published, source, lang, gazetteer, limits
        As for :func:`figures_from_text`; ``source`` is the title (default: the file name).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(figures, sources)``; ``sources`` has method ``press``, kind ``text`` and the
        SHA-256 of the file's bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wire.txt"
    >>> _ = p.write_text("In Tartar district, 133 houses were destroyed.", encoding="utf-8")
    >>> figures, sources = figures_from_file(p, published="2020-10-29")
    >>> int(figures.loc[0, "count"]), sources.loc[0, "method"]
    (133, 'press')
    """
    p = Path(path)
    if p.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(
            f"{p}: not a text file (suffix {p.suffix or 'none'!r}); the press "
            f"reader takes {', '.join(TEXT_SUFFIXES)}",
            path=str(p),
        )
    try:
        check_text_size(p.stat().st_size, str(p), limits)
        raw = p.read_bytes()
    except LimitExceededError:
        raise  # an OSError too, with its own message
    except OSError as err:
        raise InputError(
            f"{p}: cannot be read ({err.strerror or err}); check the path", path=str(p)
        ) from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{p}: byte {err.start} is not UTF-8; save the file as UTF-8", path=str(p)
        ) from err
    title = source or p.name
    figures = figures_from_text(
        text, published=published, source=title, lang=lang, gazetteer=gazetteer, limits=limits
    )
    sources = sources_row(text, raw, title=title, published=published, path=p)
    return figures, sources


def sources_row(
    text: str, raw: bytes, *, title: str, published: str | dt.date | None, path: Path | None = None
) -> pd.DataFrame:
    """The one-row ``sources`` table of a text (method ``press``, kind ``text``).

    Parameters
    ----------
    text
        The report, as read.
    raw
        Its bytes, whose SHA-256 is recorded.
    title
        The title (also part of ``source_id``).
    published
        Publication date (``YYYY-MM-DD``), or ``None``.
    path
        The file it came from, named in ``notes``.

    Returns
    -------
    pandas.DataFrame
        A ``sources`` table of one row.

    Examples
    --------
    >>> text = "In Tartar district, 133 houses were destroyed."
    >>> row = sources_row(text, text.encode(), title="wire", published="2020-10-29")
    >>> row.loc[0, ["method", "kind"]].tolist(), str(row.loc[0, "published"].date())
    (['press', 'text'], '2020-10-29')
    """
    pub = _as_date(published, "published")
    return make_table(
        "sources",
        [
            {
                "source_id": source_id_for(text, title),
                "title": title,
                "publisher": None,
                "url": None,
                "published": pub,
                "retrieved": None,
                "method": "press",
                "cites": None,
                "licence": None,
                "sha256": hashlib.sha256(raw).hexdigest(),
                "kind": "text",
                "notes": f"read from {path.name}" if path is not None else None,
            }
        ],
    )
