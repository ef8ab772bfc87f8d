"""Fuzz the readers with hypothesis: only ``DamageDataError`` subclasses may escape.

The strategies build inputs that are *almost* right (real headers, damage labels, HXL
hashtags, GeoJSON geometry types) mixed with hostile values (huge, negative and textual
counts, NaN coordinates, broken rings, odd encodings, control characters, truncation), so
that hypothesis reaches the parsing code rather than stopping at the first byte.

``tests/test_fuzz_readers.py`` runs a few hundred examples in CI. The long run is this file
as a script (about 10,000 examples per reader)::

    python tests/fuzz_readers.py --examples 10000
    python tests/fuzz_readers.py --examples 500 --reader geojson --reader text

It prints, per reader, the examples run, the time taken and any finding (the shrunk input
and the exception), and exits 1 when something other than a ``DamageDataError`` escaped.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import logging
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from damage_data._errors import DamageDataError
from damage_data.pipeline import figures_of

# --- building blocks -----------------------------------------------------------------------

HEADER_WORDS = (
    "district",
    "place",
    "region",
    "name",
    "destroyed",
    "damaged",
    "Houses destroyed",
    "partially damaged",
    "damage",
    "status",
    "count",
    "value",
    "total",
    "date",
    "as_of",
    "lon",
    "lat",
    "x",
    "y",
    "wkt",
    "ADM1_PCODE",
    "ADM1_EN",
    "unit_code",
    "structure",
    "type",
    "Main_Damage_Site_Class",
    "SensorDate",
    "grading",
    "damage_gra",
)
DAMAGE_LABELS = (
    "destroyed",
    "damaged",
    "severe",
    "moderate",
    "minor",
    "none",
    "possible",
    "Destroyed",
    "Severe Damage",
    "Completely Destroyed",
    "Possibly damaged",
    "No visible damage",
    "1",
    "2",
    "3",
    "G4",
    "wobbly",
    "",
)
PLACES = ("Fuzuli", "Füzuli", "Tartar", "Tərtər", "Физули", "Aghdam", "Ganja", "Kharkiv", "Gaza")
NUMBERS = (
    "0",
    "11",
    "1.234",
    "1,234",
    "12,5",
    "-3",
    "2.5",
    "many",
    "99999999999999999999",
    "1e400",
    "nan",
    "inf",
    "１２",  # full-width digits
    "٣",  # Arabic-Indic digit
    "1 234",
    "1\u00a0234",
    "--1",
    "+",
    "1..2",
    ",",
    ".",
)
DATES = ("2020-10-29", "29.10.2020", "2099-01-01", "1850-01-01", "0000-00-00", "20201029", "never")
HXL_TAGS = (
    "#adm1+name",
    "#adm2+name",
    "#adm1+code",
    "#adm2+code",
    "#loc+name",
    "#country+code",
    "#affected+buildings+destroyed",
    "#affected+buildings+partially",
    "#affected+houses+damaged",
    "#impact",
    "#impact+type",
    "#value",
    "#x_value",
    "#date",
    "#date+reported",
    "#inneed",
    "#meta+notes",
    "#",
    "#adm1+name+name",
)

# text without surrogates (they cannot be encoded at all)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
# text an XLSX cell may hold (openpyxl refuses control characters)
XLSX_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


def cells(text: st.SearchStrategy[str] = TEXT) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NUMBERS),
        st.sampled_from(DAMAGE_LABELS),
        st.sampled_from(PLACES),
        st.sampled_from(DATES),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        text,
    )


@st.composite
def grids(draw: st.DrawFn, text: st.SearchStrategy[str] = TEXT) -> list[list[str]]:
    """A header of (mostly) real column names and rows of plausible or hostile cells."""
    width = draw(st.integers(1, 6))
    header = draw(
        st.lists(st.one_of(st.sampled_from(HEADER_WORDS), text), min_size=width, max_size=width)
    )
    rows = draw(
        st.lists(st.lists(cells(text), min_size=0, max_size=width + 1), min_size=0, max_size=8)
    )
    return [header, *rows]


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    """A delimited table in one of several encodings, or raw bytes, or a mutilated table."""
    mode = draw(st.sampled_from(("table", "table", "table", "bytes", "truncated")))
    if mode == "bytes":
        return draw(st.binary(max_size=400))
    grid = draw(grids())
    delimiter = draw(st.sampled_from((",", ";", "\t", "|")))
    buffer = io.StringIO()
    csv.writer(
        buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(("\n", "\r\n")))
    ).writerows(grid)
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "cp1251", "latin-1")))
    data = text.encode(encoding, errors="replace")
    if mode == "truncated" and data:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def hxl_bytes(draw: st.DrawFn) -> bytes:
    """An HXL table: a header row, a row of hashtags, data rows (or HXL JSON objects)."""
    width = draw(st.integers(1, 5))
    header = draw(
        st.lists(st.one_of(st.sampled_from(HEADER_WORDS), TEXT), min_size=width, max_size=width)
    )
    tags = draw(st.lists(st.sampled_from(HXL_TAGS), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(cells(), min_size=0, max_size=width + 1), max_size=6))
    if draw(st.booleans()):
        objects = [dict(zip(tags, row, strict=False)) for row in rows] or [{t: "" for t in tags}]
        return json.dumps(objects).encode()
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, tags, *rows])
    return buffer.getvalue().encode("utf-8")


COORD = st.one_of(
    st.floats(min_value=-200, max_value=200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from((46.9, 39.6, 512000.0, 4390000.0, 1e308)),
    st.integers(-(2**70), 2**70),
)
POSITION = st.lists(COORD, min_size=0, max_size=4)
JSON_SCALAR = st.one_of(st.none(), st.booleans(), COORD, TEXT)
ANY_JSON = st.recursive(
    JSON_SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=12,
)


def geometries() -> st.SearchStrategy[Any]:
    ring = st.lists(POSITION, max_size=6)
    return st.one_of(
        st.none(),
        st.builds(lambda c: {"type": "Point", "coordinates": c}, POSITION),
        st.builds(
            lambda c: {"type": "MultiPoint", "coordinates": c}, st.lists(POSITION, max_size=3)
        ),
        st.builds(lambda c: {"type": "LineString", "coordinates": c}, ring),
        st.builds(lambda c: {"type": "Polygon", "coordinates": c}, st.lists(ring, max_size=2)),
        st.builds(
            lambda c: {"type": "MultiPolygon", "coordinates": c},
            st.lists(st.lists(ring, max_size=2), max_size=2),
        ),
        st.builds(
            lambda t, c: {"type": t, "coordinates": c},
            st.sampled_from(("GeometryCollection", "Circle", "", "point")),
            ANY_JSON,
        ),
        ANY_JSON,
    )


PROPERTY_KEYS = (
    "damage",
    "damage_class",
    "grading",
    "damage_gra",
    "Main_Damage_Site_Class",
    "SensorDate",
    "structure",
    "obj_type",
    "type",
    "date",
    "id",
    "district",
    "destroyed",
    "damaged",
)


@st.composite
def geojson_bytes(draw: st.DrawFn) -> bytes:
    """A FeatureCollection with hostile properties and geometries, or JSON that is not one."""
    mode = draw(st.sampled_from(("collection", "collection", "collection", "json", "truncated")))
    if mode == "json":
        return json.dumps(draw(ANY_JSON)).encode()
    properties = st.dictionaries(
        st.one_of(st.sampled_from(PROPERTY_KEYS), TEXT),
        st.one_of(st.sampled_from(DAMAGE_LABELS), cells(), JSON_SCALAR, ANY_JSON),
        max_size=5,
    )
    features = draw(
        st.lists(
            st.one_of(
                st.builds(
                    lambda p, g: {"type": "Feature", "properties": p, "geometry": g},
                    properties,
                    geometries(),
                ),
                ANY_JSON,
            ),
            max_size=6,
        )
    )
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if draw(st.booleans()):
        collection["crs"] = draw(
            st.one_of(
                st.just({"type": "name", "properties": {"name": "EPSG:32638"}}),
                st.just({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9999999"}}),
                ANY_JSON,
            )
        )
    data = json.dumps(collection, allow_nan=True).encode()
    if mode == "truncated":
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def xlsx_grids(draw: st.DrawFn) -> list[list[Any]]:
    """A grid for a workbook: cells as text, numbers, dates or empty."""
    grid = draw(grids(XLSX_TEXT))
    typed: list[list[Any]] = []
    for row in grid:
        out: list[Any] = []
        for cell in row:
            kind = draw(st.sampled_from(("text", "text", "number", "date", "empty")))
            if kind == "number":
                out.append(
                    draw(
                        st.one_of(
                            st.integers(-(2**53), 2**53),
                            st.floats(allow_nan=False, allow_infinity=False),
                        )
                    )
                )
            elif kind == "date":
                out.append(
                    draw(
                        st.datetimes(
                            min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2200, 1, 1)
                        )
                    )
                )
            elif kind == "empty":
                out.append(None)
            else:
                out.append(cell)
        typed.append(out)
    return typed


@st.composite
def json_product_bytes(draw: st.DrawFn) -> bytes:
    """A dated series (Tech For Palestine style) or an xBD label file, with hostile values."""
    value_of = st.one_of(COORD, TEXT, st.none(), st.booleans(), ANY_JSON)
    if draw(st.booleans()):
        items = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"report_date": st.one_of(st.sampled_from(DATES), value_of)},
                    optional={
                        "residential": st.dictionaries(
                            st.sampled_from(("destroyed", "damaged", "ext_destroyed", "x")),
                            value_of,
                            max_size=3,
                        ),
                        "civic_buildings": st.dictionaries(
                            st.sampled_from(("destroyed", "ext_damaged")), value_of, max_size=2
                        ),
                    },
                ),
                min_size=1,
                max_size=6,
            )
        )
        return json.dumps(items, allow_nan=True).encode()
    feature = st.fixed_dictionaries(
        {},
        optional={
            "wkt": st.one_of(
                st.sampled_from(
                    ("POLYGON ((0 0, 1 0, 1 1, 0 0))", "POINT (1 2)", "POLYGON EMPTY", "POINT (")
                ),
                value_of,
            ),
            "properties": st.one_of(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "feature_type": st.one_of(st.just("building"), value_of),
                        "subtype": st.one_of(
                            st.sampled_from(("destroyed", "minor-damage", "un-classified")),
                            value_of,
                        ),
                        "uid": value_of,
                    },
                ),
                value_of,
            ),
        },
    )
    labels = {
        "features": {"lng_lat": draw(st.lists(st.one_of(feature, value_of), max_size=6))},
        "metadata": draw(st.one_of(st.just({"capture_date": "2018-01-01"}), value_of)),
    }
    return json.dumps(labels, allow_nan=True).encode()


SAFE_MEMBERS = ("a.geojson", "product/b.geojson", "c.csv", "d.json", "inner.zip")
HOSTILE_MEMBERS = (
    "e.shp",
    "../evil.geojson",
    "..\\evil.geojson",
    "/tmp/evil.geojson",
    "C:/evil.geojson",
    ".",
    "a/../../evil.geojson",
    "dir/",
    "x" * 300 + ".geojson",
    "ünïcode/ファイル.geojson",
)


@st.composite
def zip_bytes(draw: st.DrawFn) -> bytes:
    """A zip package: mostly readable member names, now and then a hostile one."""
    import zipfile

    names = st.one_of(
        st.sampled_from(SAFE_MEMBERS),
        st.sampled_from(SAFE_MEMBERS),
        st.sampled_from(SAFE_MEMBERS),
        st.sampled_from(HOSTILE_MEMBERS),
        # zipfile cuts a name at NUL and cannot write an empty one
        TEXT.filter(lambda n: n.split("\0")[0]),
    )
    members = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in members:
            if name.endswith(".csv"):
                data = draw(csv_bytes())
            elif name.endswith((".json", ".geojson", ".zip")):
                data = draw(geojson_bytes())
            else:
                data = draw(st.binary(max_size=200))
            if name == "inner.zip":
                inner = io.BytesIO()
                with zipfile.ZipFile(inner, "w") as nested:
                    nested.writestr("n.geojson", data)
                data = inner.getvalue()
            archive.writestr(name, data)
    data = buffer.getvalue()
    if draw(st.integers(0, 9)) == 0:  # now and then, truncated (empty files are tested apart)
        data = data[: draw(st.integers(len(data) // 4, len(data)))]
    return data


TEXT_PIECES = (
    "houses were destroyed",
    "buildings damaged",
    " in Fuzuli district",
    " in Tartar",
    "Some ",
    "about ",
    "more than ",
    "1,234 ",
    "11 ",
    "eleven ",
    "dozens of ",
    "on 27 September 2020",
    " since Tuesday",
    ". ",
    "\n\n",
    "разрушено 12 домов в Физули. ",
    "Füzulidə 40 ev dağıdılıb. ",
    "zerstört",
    "%",
    "—",
)


def press_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(st.one_of(st.sampled_from(TEXT_PIECES), TEXT), max_size=25).map("".join),
        st.text(max_size=300),
    )


# --- the targets ---------------------------------------------------------------------------


class Target:
    """One reader under fuzzing: a strategy and a check that must not raise."""

    def __init__(
        self, name: str, strategy: st.SearchStrategy[Any], check: Callable[[Any, Path], None]
    ) -> None:
        self.name, self.strategy, self.check = name, strategy, check


def _check_load(path: Path, *, kind: str = "auto") -> None:
    """``load`` either succeeds with consistent bookkeeping or raises a DamageDataError."""
    from damage_data.readers import load

    try:
        result = load(path, kind=kind)
    except DamageDataError:
        return
    report = result.report
    assert report["rows_read"] == report["rows_kept"] + report["rows_rejected"], report
    assert report["rows_rejected"] == result.rejects["locator"].nunique()
    if result.figures is not None and not result.figures.empty:
        counts = result.figures["count"].dropna()
        assert (counts >= 0).all(), counts.tolist()
    # the figures must reach the normal downstream path too
    with contextlib.suppress(DamageDataError):
        figures_of(result)


def check_csv(data: bytes, folder: Path) -> None:
    path = folder / "fuzz.csv"
    path.write_bytes(data)
    if not data:
        path.write_bytes(b"\n")  # an empty file is refused before any reader runs
    _check_load(path)


def check_xlsx(grid: list[list[Any]], folder: Path) -> None:
    import openpyxl

    path = folder / "fuzz.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in grid:
        sheet.append(row)
    book.save(path)
    _check_load(path)


def check_geojson(data: bytes, folder: Path) -> None:
    path = folder / "fuzz.geojson"
    path.write_bytes(data or b" ")
    _check_load(path)


def check_hxl(data: bytes, folder: Path) -> None:
    path = folder / ("fuzz.json" if data.startswith(b"[") else "fuzz.csv")
    path.write_bytes(data)
    _check_load(path, kind="hxl")


def check_json_product(data: bytes, folder: Path) -> None:
    path = folder / "fuzz_product.json"
    path.write_bytes(data)
    _check_load(path)


def check_zip(data: bytes, folder: Path) -> None:
    """A zip is read or refused, and nothing is ever written outside the unpack folder."""
    path = folder / "fuzz.zip"
    path.write_bytes(data or b"PK")
    before = set(folder.parent.iterdir())
    _check_load(path)
    leaked = {p for p in set(folder.parent.iterdir()) - before if "evil" in p.name}
    escaped = [p for p in ("/tmp/evil.geojson", "/evil.geojson") if Path(p).exists()]
    assert not leaked and not escaped, (leaked, escaped)


def check_text(text: str, folder: Path) -> None:
    """The text reader never raises; every figure's evidence is the span it points to."""
    from damage_data.text import figures_from_text

    figures = figures_from_text(text, published="2020-11-10")
    for row in figures.itertuples(index=False):
        start, end, evidence = int(row.start), int(row.end), row.evidence
        assert 0 <= start <= end <= len(text), (start, end, len(text))
        assert text[start:end] == evidence, (text[start:end], evidence)


TARGETS: dict[str, Target] = {
    "csv": Target("csv", csv_bytes(), check_csv),
    "xlsx": Target("xlsx", xlsx_grids(), check_xlsx),
    "geojson": Target("geojson", geojson_bytes(), check_geojson),
    "hxl": Target("hxl", hxl_bytes(), check_hxl),
    "series_xbd": Target("series_xbd", json_product_bytes(), check_json_product),
    "zip": Target("zip", zip_bytes(), check_zip),
    "text": Target("text", press_texts(), check_text),
}


def run(name: str, examples: int, folder: Path) -> tuple[int, float, str | None]:
    """Run one target for ``examples`` examples; return examples run, seconds and a finding."""
    target = TARGETS[name]
    seen = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(target.strategy)
    def prop(value: Any) -> None:
        nonlocal seen
        seen += 1
        target.check(value, folder)

    start = time.perf_counter()
    finding = None
    try:
        prop()
    except Exception:  # a finding: hypothesis re-raises the shrunk failure
        finding = traceback.format_exc(limit=-6)
    return seen, time.perf_counter() - start, finding


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="examples per reader")
    parser.add_argument("--reader", action="append", choices=sorted(TARGETS), help="repeatable")
    args = parser.parse_args(argv)
    # readers warn about every odd input: fuzzing would print thousands of lines
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    failed = False
    with tempfile.TemporaryDirectory(prefix="damage_data_fuzz_") as tmp:
        for name in args.reader or list(TARGETS):
            seen, seconds, finding = run(name, args.examples, Path(tmp))
            status = "nothing found" if finding is None else "FINDING"
            print(
                f"{name}: {seen} examples (incl. shrinking) in {seconds:.0f} s: {status}",
                flush=True,
            )
            if finding:
                failed = True
                print(finding, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
