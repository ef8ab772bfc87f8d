"""Map classes: values into classes with clean legend labels, and the colours of the classes.

A reported zero is a class of its own (DESIGN §4 rule 10), never the lowest class of the
ramp and never the hatched "no reports".
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import to_hex

from .. import style
from .._errors import UnknownLabelError, UsageError
from ..numbers import format_number, share_label

#: Up to this many values, ``NaturalBreaks`` is solved exactly (Fisher-Jenks).
EXACT_BREAKS_MAX = 200
#: The fill of a reported zero: lighter than any ramp class and not hatched.
ZERO_COLOUR = "#fdf3e4"
#: mapclassify classifiers that take no ``k``.
_NO_K = ("UserDefined", "HeadTailBreaks", "MaxP", "StdMean", "BoxPlot", "Percentiles")


def _classifier(name: str) -> Any:
    import mapclassify  # 1.5 s (scipy.stats): only for schemes other than the default

    by_lower = {c.lower(): c for c in mapclassify.CLASSIFIERS}
    real = by_lower.get(str(name).lower())
    if real is None:
        raise UnknownLabelError(
            f"unknown classification scheme {name!r}; mapclassify schemes: "
            f"{', '.join(mapclassify.CLASSIFIERS)}",
            label=name,
            known=list(mapclassify.CLASSIFIERS),
        )
    return getattr(mapclassify, real)


#: The most classes a choropleth offers: one sequential ramp is read up to nine shades.
MAX_CLASSES = 9


def classify(
    values: Sequence[float] | pd.Series,
    *,
    scheme: str = "NaturalBreaks",
    k: int = 5,
    percent: bool = False,
    lang: str = "en",
    classification_kwds: Mapping[str, Any] | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Class of each (positive) value and a clean label per class (no interval brackets).

    Integer counts get labels such as ``"1–47"``, ``"48–325"``; shares get ``"41–87%"``.

    Parameters
    ----------
    values
        The values to classify (no missing values).
    scheme
        A mapclassify classifier name (case-insensitive), e.g. ``"Quantiles"``.
    k
        Number of classes (lowered to the number of distinct values).
    percent
        Values are shares (0–1): label them as percentages.
    lang
        Number formatting of the labels.
    classification_kwds
        Extra arguments for the classifier (``bins`` for ``UserDefined``).

    Returns
    -------
    (numpy.ndarray, list of str)
        Class index per value, and one label per class.

    Examples
    --------
    >>> classes, labels = classify([7, 11, 47, 160, 293, 510], scheme="Quantiles", k=3)
    >>> labels
    ['7–11', '12–160', '161–510']
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return np.zeros(0, dtype=int), []
    if np.isnan(data).any():
        raise UsageError("classify() got missing values; leave units without reports out")
    if not 1 <= int(k) <= MAX_CLASSES:
        # beyond about nine shades of one ramp readers no longer tell classes apart
        # (ColorBrewer's sequential schemes stop at nine)
        raise UsageError(
            f"--classes {k}: a map has 1 to {MAX_CLASSES} classes (k={k} in classify())"
        )
    distinct = np.unique(data)
    kwds = dict(classification_kwds or {})
    exact = str(scheme).lower() == "naturalbreaks" and data.size <= EXACT_BREAKS_MAX and not kwds
    if distinct.size == 1:
        bins = np.array([distinct[0]])
        classes = np.zeros(data.size, dtype=int)
    elif exact:
        # the natural-breaks criterion solved exactly (Fisher-Jenks): deterministic, where
        # mapclassify's NaturalBreaks is a randomised heuristic
        bins = fisher_jenks_bins(data, min(int(k), distinct.size))
        classes = np.searchsorted(bins, data, side="left")
    else:
        classes, bins = _mapclassify(data, scheme, k, kwds)
    return classes, _class_labels(data, classes, bins, percent=percent, lang=lang)


def _mapclassify(
    data: np.ndarray, scheme: str, k: int, kwds: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    classifier = _classifier(scheme)
    if classifier.__name__ not in _NO_K:
        kwds.setdefault("k", max(1, min(int(k), np.unique(data).size)))
    with warnings.catch_warnings():  # "not enough unique values" is handled by the caller
        warnings.simplefilter("ignore", UserWarning)
        fitted = classifier(data, **kwds)
    bins = np.asarray(fitted.bins, dtype=float)
    classes = np.asarray(fitted.yb, dtype=int)
    # drop classes that received no value (mapclassify keeps empty top bins)
    used = np.unique(classes)
    remap = {old: new for new, old in enumerate(used)}
    classes = np.array([remap[c] for c in classes], dtype=int)
    bins = np.array(
        [
            max(data[classes == new]) if (classes == new).any() else bins[old]
            for old, new in remap.items()
        ]
    )
    return classes, bins


def fisher_jenks_bins(values: Sequence[float] | np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the ``k`` classes that minimise the within-class squared deviations.

    Fisher's exact dynamic programme over the distinct values (weighted by how often each
    occurs, so equal values always share a class): O(k·n²) with numpy over n distinct values.

    Parameters
    ----------
    values
        The values to classify.
    k
        Number of classes (lowered to the number of distinct values).

    Returns
    -------
    numpy.ndarray
        The upper bound of each class, ascending.

    Examples
    --------
    >>> fisher_jenks_bins([1, 2, 3, 20, 21, 22, 100], 3).tolist()
    [3.0, 22.0, 100.0]
    """
    x, weight = np.unique(np.asarray(values, dtype=float), return_counts=True)
    n = x.size
    k = max(1, min(int(k), n))
    w = np.concatenate([[0.0], np.cumsum(weight)])
    s1 = np.concatenate([[0.0], np.cumsum(weight * x)])
    s2 = np.concatenate([[0.0], np.cumsum(weight * x * x)])

    def spread(start: np.ndarray, end: int) -> np.ndarray:
        """Squared deviations of the distinct values start..end-1 (start is an array)."""
        total = s1[end] - s1[start]
        return np.asarray((s2[end] - s2[start]) - total * total / (w[end] - w[start]))

    # cost[c, j]: best cost of putting the first j distinct values into c + 1 classes
    cost = np.full((k, n + 1), np.inf)
    split = np.zeros((k, n + 1), dtype=int)
    cost[0, 1:] = [spread(np.array([0]), j)[0] for j in range(1, n + 1)]
    for c in range(1, k):
        for j in range(c + 1, n + 1):
            starts = np.arange(c, j)  # the last class holds values starts..j-1
            candidates = cost[c - 1, starts] + spread(starts, j)
            best = int(np.argmin(candidates))
            cost[c, j], split[c, j] = candidates[best], starts[best]
    ends = [n]
    for c in range(k - 1, 0, -1):
        ends.append(int(split[c, ends[-1]]))
    return np.array([x[e - 1] for e in reversed(ends)])


def _class_labels(
    data: np.ndarray, classes: np.ndarray, bins: np.ndarray, *, percent: bool, lang: str
) -> list[str]:
    labels = []
    integer = not percent and bool(np.all(np.equal(np.mod(data, 1), 0)))
    for i in range(len(bins)):
        members = data[classes == i]
        if integer:
            low = int(members.min()) if i == 0 else math.floor(bins[i - 1]) + 1
            high = math.floor(bins[i])
            low = min(low, int(members.min()))
            low_text, high_text = format_number(low, lang), format_number(high, lang)
            text = low_text if low == high else f"{low_text}–{high_text}"
        elif percent:
            low_pct, high_pct = round(100 * members.min()), round(100 * members.max())
            top = share_label(members.max(), lang)
            text = top if low_pct == high_pct else f"{format_number(low_pct, lang)}–{top}"
        else:
            text = (
                f"{format_number(members.min(), lang, decimals=1)}–"
                f"{format_number(members.max(), lang, decimals=1)}"
            )
        labels.append(text)
    return labels


def ramp(n: int) -> list[str]:
    """``n`` colours of the house sequential ramp, light to dark (colour-blind safe).

    Parameters
    ----------
    n
        Number of classes.

    Returns
    -------
    list of str
        Hex colours.

    Examples
    --------
    >>> len(ramp(5)), ramp(0)
    (5, [])
    """
    cmap = colormaps[style.SEQUENTIAL]
    if n <= 0:
        return []  # no class (every reporting unit reported 0: only the zero class is drawn)
    if n == 1:
        return [to_hex(cmap(0.6))]
    return [to_hex(cmap(x)) for x in np.linspace(0.25, 0.95, n)]
