"""Bad input, hostile files and crashes: a generated corpus run through the CLI.

Every file must give a clear error naming it (exit 3) or documented rejects (exit 0, or 4
under --strict), never a traceback, a hang or unbounded memory.

Starting Python and the geo stack costs about a second, so the corpus runs through the
CLI's ``main()`` in *one* child process (``DRIVER``) under a memory rlimit, with an alarm per
file and stdout/stderr captured at the file-descriptor level (GDAL's C messages included).
A few files also go through a real ``python -m damage_data`` process to check the exit
codes end to end.
"""

from __future__ import annotations

import json
import os
import random
import resource
import socket
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from damage_data._errors import DamageDataError, InputError, LimitExceededError
from damage_data.limits import Limits
from damage_data.pipeline import figures_of
from damage_data.readers import load

TIMEOUT_S = 120
PER_FILE_S = 30
MEMORY_BYTES = 3 * 1024**3


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("DAMAGE_DATA_DEBUG", None)  # tracebacks must not be printed
    return env


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "damage_data", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        preexec_fn=_limit_memory,
        cwd=cwd,
        check=False,
        env=_env(),
    )


#: Runs many CLI invocations in one process: argv lists in, one JSON record per run out.
DRIVER = r"""
import json, os, signal, sys, tempfile, time, traceback
from damage_data.cli import main

class Hang(BaseException):
    pass

def on_alarm(*_):
    raise Hang()

signal.signal(signal.SIGALRM, on_alarm)
jobs, per_file, out_path = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
results = []
for argv in jobs:
    captured = [tempfile.TemporaryFile(), tempfile.TemporaryFile()]
    sys.stdout.flush(); sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    os.dup2(captured[0].fileno(), 1); os.dup2(captured[1].fileno(), 2)
    start = time.monotonic()
    signal.alarm(per_file)
    try:
        code = main(argv)
    except Hang:
        code = "hang"
    except BaseException:
        sys.stderr.write(traceback.format_exc())
        code = "escaped"
    finally:
        signal.alarm(0)
        sys.stdout.flush(); sys.stderr.flush()
        os.dup2(saved[0], 1); os.dup2(saved[1], 2)
        os.close(saved[0]); os.close(saved[1])
    texts = []
    for handle in captured:
        handle.seek(0)
        texts.append(handle.read().decode("utf-8", "replace"))
        handle.close()
    results.append({"argv": argv, "code": code, "stdout": texts[0], "stderr": texts[1],
                    "seconds": time.monotonic() - start})
with open(out_path, "w", encoding="utf-8") as out:
    json.dump(results, out)
"""


def run_many(jobs: list[list[str]], tmp: Path, cwd: Path | None = None) -> list[dict[str, Any]]:
    out = tmp / "driver_results.json"
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(jobs), str(PER_FILE_S), str(out)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S + PER_FILE_S * len(jobs),
        preexec_fn=_limit_memory,
        cwd=cwd,
        check=False,
        env=_env(),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return list(json.loads(out.read_text(encoding="utf-8")))


# --- the corpus ---------------------------------------------------------------------------


def _write(d: Path, files: dict[str, bytes]) -> list[Path]:
    out = []
    for name, data in files.items():
        (d / name).write_bytes(data)
        out.append(d / name)
    return out


def _random_bytes(d: Path) -> list[Path]:
    rng = random.Random(7)
    blob = bytes(rng.getrandbits(8) for _ in range(4096))
    names = ("noise.csv", "noise.geojson", "noise.zip", "noise.xlsx", "noise.gpkg")
    names += ("noise.parquet", "noise.json", "noise.txt", "noise", "noise.kml", "noise.shp")
    return _write(d, dict.fromkeys(names, blob))


def _tables(d: Path) -> list[Path]:
    files = {
        "empty.csv": b"",
        "bom_only.csv": b"\xef\xbb\xbf",
        "header_only.csv": b"district,destroyed,damaged\n",
        "utf16.csv": "district,destroyed\nFüzuli,11\nCəbrayıl,0\n".encode("utf-16"),
        "utf16_no_bom.csv": "district,destroyed\nFüzuli,11\n".encode("utf-16-le"),
        "utf16_odd_length.csv": "district,destroyed\n".encode("utf-16") + b"d",
        "cp1251.csv": "район,разрушено\nФизули,11\n".encode("cp1251"),
        "mixed_encoding.csv": "district,destroyed\nFüzuli,11\n".encode()
        + "Tərtər,5\n".encode()[:-4]
        + b"\xe9\xff,5\n",
        "nul_bytes.csv": b"district,destroyed\nFuzuli,1\x001\n" * 20,
        "semicolon_decimal_comma.csv": b"district;destroyed;share\nFuzuli;1.234;0,5\n"
        b"Tartar;12;0,25\n",
        "decimal_comma_counts.csv": b"district;destroyed\nFuzuli;12,5\nTartar;3,0\n",
        "duplicate_columns.csv": b"district,destroyed,destroyed\nFuzuli,11,12\n",
        "bad_counts.csv": b"district,destroyed\nFuzuli,-3\nTartar,2.5\nBarda,many\n"
        b"Aghdam,99999999999999999999\nGanja,1e400\nShusha,5000000000\n",
        "dates.csv": b"district,destroyed,date\nFuzuli,11,2099-01-01\nTartar,5,1850-01-01\n"
        b"Barda,4,not a date\nGanja,3,99999-01-01\n",
        "swapped_latlon.csv": b"lon,lat,damage\n40.0,47.0,destroyed\n39.8,46.9,damaged\n",
        "swapped_out_of_range.csv": b"lon,lat,damage\n39.6,146.9,destroyed\n39.7,146.8,damaged\n",
        "one_row_swapped.csv": b"lon,lat,damage\n46.9,39.6,destroyed\n39.7,146.8,damaged\n",
        "bad_wkt.csv": b"wkt,damage\nPOINT (46.9 39.6),destroyed\nPOINT (46.9,destroyed\n"
        b"POLYGON EMPTY,damaged\nPOINT (nan nan),damaged\n",
        "not_really.xlsx": b"district,destroyed\nFuzuli,11\n",
        "long_line.csv": b"district,destroyed\n" + b"x" * (30 * 1024 * 1024) + b",1\n",
        "unclosed_quote.csv": b'district,destroyed\n"Fuzuli,11\nTartar,5\n',
        "hxl_bad_counts.csv": b"District,Destroyed\n#adm2+name,#affected+buildings+destroyed\n"
        b"Fuzuli,-1\nTartar,lots\nBarda,4\n",
        "subset_larger.txt": b"Some 10 buildings were destroyed in Fuzuli district, "
        b"including 40 houses.\n",
    }
    out = _write(d, files)
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["district", "destroyed"])
    for i in range(200):
        book.active.append([f"place {i}", i])
    book.save(d / "good.xlsx")
    data = (d / "good.xlsx").read_bytes()
    (d / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    (d / "good.xlsx").unlink()
    out.append(d / "truncated.xlsx")
    return out


FEATURES: list[dict[str, Any]] = [
    {
        "type": "Feature",
        "properties": {"damage": "destroyed"},
        "geometry": {"type": "Point", "coordinates": [46.9, 39.6]},
    },
    {"type": "Feature", "properties": {"damage": "damaged"}, "geometry": None},
    {  # a self-intersecting "bow tie": invalid, kept with a warning
        "type": "Feature",
        "properties": {"damage": "damaged"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[46, 39], [47, 40], [47, 39], [46, 40], [46, 39]]],
        },
    },
    {
        "type": "Feature",
        "properties": {"damage": "damaged"},
        "geometry": {"type": "Polygon", "coordinates": []},
    },
    {
        "type": "Feature",
        "properties": {"damage": "wobbly"},
        "geometry": {"type": "Point", "coordinates": [46.8, 39.7]},
    },
    {
        "type": "Feature",
        "properties": {"damage": ["destroyed"], "structure": {"a": 1}},
        "geometry": {"type": "Point", "coordinates": [46.8, 39.7]},
    },
]


def _collection(features: list[dict[str, Any]], **extra: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", **extra, "features": features}).encode()


def _point(x: float, y: float, damage: str = "destroyed") -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"damage": damage},
        "geometry": {"type": "Point", "coordinates": [x, y]},
    }


def _json_and_geo(d: Path) -> list[Path]:
    text = _collection(FEATURES).decode()
    kml_head = b'<?xml version="1.0"?>\n'
    placemark = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&xxe;</name>'
        b"<Point><coordinates>46.9,39.6</coordinates></Point></Placemark></Document></kml>"
    )
    files: dict[str, bytes] = {
        "geometries.geojson": text.encode(),
        "truncated.geojson": text[: len(text) // 2].encode(),
        "truncated.json": b'{"features": [1, 2, ',
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "deep.geojson": b'{"type": "FeatureCollection", "features": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}",
        "deep_objects.json": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "projected_no_crs.geojson": _collection([_point(512000.0, 4390000.0)]),
        "unknown_crs.geojson": _collection(
            [_point(46.9, 39.6)],
            crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9999999"}},
        ),
        "external_entity.kml": kml_head
        + b'<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + placemark,
        "billion_laughs.kml": kml_head
        + b'<!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY xxe "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n' + placemark,
        "external_entity.gpx": kml_head
        + b'<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + b'<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">'
        b'<wpt lat="39.6" lon="46.9"><name>&xxe;</name></wpt></gpx>',
        "truncated.kml": kml_head + placemark[: len(placemark) // 2],
        "hxl_not_objects.json": b'[{"#adm1+name": "Fuzuli"}, [1, 2]]',
    }
    out = _write(d, files)
    import geopandas as gpd
    from shapely.geometry import Point

    frame = gpd.GeoDataFrame({"damage": ["destroyed"]}, geometry=[Point(46.9, 39.6)], crs=4326)
    frame.to_file(d / "nodbf.shp")
    (d / "nodbf.dbf").unlink()
    out.append(d / "nodbf.shp")
    # missing CRS: projected coordinates and no .prj
    utm = gpd.GeoDataFrame(
        {"damage": ["destroyed"]}, geometry=[Point(512000.0, 4390000.0)], crs=32638
    )
    utm.to_file(d / "noprj.shp")
    (d / "noprj.prj").unlink()
    out.append(d / "noprj.shp")
    # wrong CRS: longitude/latitude written under a UTM .prj
    frame.set_crs(32638, allow_override=True).to_file(d / "wrongprj.shp")
    out.append(d / "wrongprj.shp")
    return out


def _zip_with(path: Path, members: dict[str, bytes], **kwargs: Any) -> Path:
    with zipfile.ZipFile(path, "w", **kwargs) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _bomb(path: Path, mib: int = 256) -> Path:
    """One member of ``mib`` MiB of zeros, deflated about a thousand-fold."""
    chunk = b"\0" * (16 * 1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("bomb.geojson", "w", force_zip64=True) as member,
    ):
        for _ in range(mib // 16):
            member.write(chunk)
    return path


def _liar(path: Path) -> Path:
    """A member whose headers claim 1 KiB while it inflates to 8 MiB."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.geojson", b" " * (8 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    real = (8 * 1024 * 1024).to_bytes(4, "little")
    fake = (1024).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    assert data[local + 22 : local + 26] == real and data[central + 24 : central + 28] == real
    data[local + 22 : local + 26] = fake
    data[central + 24 : central + 28] = fake
    path.write_bytes(bytes(data))
    return path


def _zips(d: Path) -> list[Path]:
    empty_fc = _collection([])
    out = [
        _zip_with(d / "traversal.zip", {"../../evil.geojson": empty_fc}),
        _zip_with(d / "absolute.zip", {"/tmp/absolute_evil.geojson": empty_fc}),
        _zip_with(d / "windows_traversal.zip", {"..\\..\\evil_win.geojson": empty_fc}),
        _zip_with(d / "drive_letter.zip", {"C:/evil_drive.geojson": empty_fc}),
        _bomb(d / "bomb.zip"),
        _liar(d / "liar.zip"),
        _zip_with(d / "dot_member.zip", {".": empty_fc}),
        _zip_with(d / "many_members.zip", {f"m{i}.txt": b"" for i in range(10_001)}),
    ]
    _zip_with(d / "nested_bomb.zip", {"inner.zip": out[4].read_bytes()})
    out.append(d / "nested_bomb.zip")
    good = _zip_with(d / "good.zip", {"a.geojson": _collection([_point(46.9, 39.6)])})
    data = good.read_bytes()
    (d / "truncated.zip").write_bytes(data[: len(data) // 2])
    good.unlink()
    out.append(d / "truncated.zip")
    return out


CORPUS_MAKERS: list[Callable[[Path], list[Path]]] = [_random_bytes, _tables, _json_and_geo, _zips]

#: What each corpus file must give: "error" (exit 3, naming the file), "rejects" (read, with
#: at least one documented reject: exit 0, and 4 under --strict) or "ok" (read cleanly).
#: Files not listed may give either an error or rejects.
EXPECTED: dict[str, tuple[str, str | None]] = {
    "empty.csv": ("error", "empty"),
    "bom_only.csv": ("error", "no rows"),
    "header_only.csv": ("error", "no damage counts"),
    "utf16.csv": ("ok", None),
    "utf16_odd_length.csv": ("error", "byte-order mark"),
    "cp1251.csv": ("ok", None),
    "mixed_encoding.csv": ("error", "mixed text encodings"),
    "nul_bytes.csv": ("error", "binary"),
    "semicolon_decimal_comma.csv": ("ok", None),
    "decimal_comma_counts.csv": ("rejects", "not a whole number"),
    "duplicate_columns.csv": ("ok", None),
    "bad_counts.csv": ("rejects", "count too large"),
    "dates.csv": ("rejects", "date before 1900"),
    "swapped_out_of_range.csv": ("ok", None),  # every row swapped: swapped back, with a warning
    "one_row_swapped.csv": ("rejects", "look swapped"),
    "bad_wkt.csv": ("rejects", "unreadable WKT"),
    "not_really.xlsx": ("error", "not a readable zip-based file"),
    "truncated.xlsx": ("error", "truncated"),
    "long_line.csv": ("error", "not a readable table"),
    "hxl_bad_counts.csv": ("rejects", "negative count"),
    "geometries.geojson": ("rejects", "missing geometry"),
    "truncated.geojson": ("error", "not valid JSON"),
    "truncated.json": ("error", "not valid JSON"),
    "deep.json": ("error", "nested too deeply"),
    "deep.geojson": ("error", "nested too deeply"),
    "deep_objects.json": ("error", "nested too deeply"),
    "projected_no_crs.geojson": ("rejects", "outside longitude/latitude range"),
    "external_entity.kml": ("error", "declares entities"),
    "billion_laughs.kml": ("error", "declares entities"),
    "external_entity.gpx": ("error", "declares entities"),
    "truncated.kml": ("error", "truncated"),
    "hxl_not_objects.json": ("error", "not an object"),
    "nodbf.shp": ("error", "no nodbf.dbf"),
    "noprj.shp": ("error", "no coordinate reference system"),
    "wrongprj.shp": ("error", "the CRS is wrong"),
    "traversal.zip": ("error", "refused"),
    "absolute.zip": ("error", "refused"),
    "windows_traversal.zip": ("error", "refused"),
    "drive_letter.zip": ("error", "refused"),
    "bomb.zip": ("error", "zip bomb"),
    "nested_bomb.zip": ("error", "zip bomb"),
    "liar.zip": ("error", "cannot be unpacked"),
    "many_members.zip": ("error", "over the limit"),
    "dot_member.zip": ("error", "refused"),
    "truncated.zip": ("error", "not a readable zip archive"),
    "subset_larger.txt": ("rejects", "subset larger than its parent"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    d = tmp_path_factory.mktemp("corpus")
    return [p for make in CORPUS_MAKERS for p in make(d)]


@pytest.fixture(scope="module")
def runs(
    corpus: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], dict[str, Any]]:
    """Every corpus file through ``validate --format json`` and ``summary --strict``."""
    work = tmp_path_factory.mktemp("runs")
    jobs = [["validate", str(p), "--format", "json"] for p in corpus]
    jobs += [["summary", str(p), "--strict", "--format", "json"] for p in corpus]
    results = run_many(jobs, work, cwd=work)
    return {(r["argv"][0], Path(r["argv"][1]).name): r for r in results}


def _problem(name: str, result: dict[str, Any]) -> str | None:
    code, stderr = result["code"], result["stderr"]
    if code in ("hang", "escaped") or "Traceback" in stderr:
        return f"{code}: traceback or hang"
    if code not in (0, 3, 4):
        return f"exit {code}"
    if result["seconds"] > 20:
        return f"took {result['seconds']:.0f} s"
    expected, words = EXPECTED.get(name, ("any", None))
    if code == 3:
        first = stderr.strip().splitlines()[-1] if stderr.strip() else ""
        if name not in first:
            return "error message does not name the file"
        if expected not in ("error", "any"):
            return f"expected {expected}, got an error"
        if words and words not in stderr:
            return f"error does not say {words!r}"
        return None
    if expected == "error":
        return f"expected an error (exit 3), got exit {code}"
    report = json.loads(result["stdout"])
    if report["rows_read"] != report["rows_kept"] + report["rows_rejected"]:
        return "rows_read != kept + rejected"
    said = json.dumps(report, ensure_ascii=False)
    if expected == "rejects":
        if not (report["rows_rejected"] or report.get("figure_problems")):
            return "expected documented rejects, got none"
        if words and words not in said:
            return f"rejects do not say {words!r}"
    if expected == "ok" and report["rows_rejected"]:
        return f"expected a clean read, got rejects {report['reasons']}"
    return None


def test_corpus_through_validate(runs: dict[tuple[str, str], dict[str, Any]]) -> None:
    failures = []
    for (command, name), result in runs.items():
        if command != "validate":
            continue
        problem = _problem(name, result)
        if problem:
            failures.append(f"{name}: {problem}: {result['stderr'][-400:]}")
    assert not failures, "\n".join(failures)


def test_every_expectation_has_its_file(corpus: list[Path]) -> None:
    assert set(EXPECTED) <= {p.name for p in corpus}


def test_corpus_through_summary_strict(runs: dict[tuple[str, str], dict[str, Any]]) -> None:
    failures = []
    for (command, name), result in runs.items():
        if command != "summary":
            continue
        code, stderr = result["code"], result["stderr"]
        expected = EXPECTED.get(name, ("any", None))[0]
        if code not in (0, 3, 4) or "Traceback" in stderr:
            failures.append(f"{name}: exit {code}: {stderr[-400:]}")
        elif expected == "error" and code != 3:
            failures.append(f"{name}: expected exit 3, got {code}")
        elif expected == "rejects" and code != 4:
            failures.append(f"{name}: rejects under --strict must exit 4, got {code}")
    assert not failures, "\n".join(failures)


def test_exit_codes_end_to_end(corpus: list[Path]) -> None:
    """A real process per command: exit codes, no traceback, and the hostile files stay fast."""
    by_name = {p.name: p for p in corpus}
    for name, args, code in (
        ("bad_counts.csv", ["--strict"], 4),
        ("bomb.zip", [], 3),
        ("long_line.csv", [], 3),
    ):
        proc = cli("validate", str(by_name[name]), *args)
        assert proc.returncode == code, (name, proc.returncode, proc.stderr[-400:])
        assert "Traceback" not in proc.stderr


def test_zip_members_never_escape(corpus: list[Path], tmp_path: Path) -> None:
    work = tmp_path / "deep" / "cwd"
    work.mkdir(parents=True)
    names = ("traversal.zip", "absolute.zip", "windows_traversal.zip", "drive_letter.zip")
    zips = [p for p in corpus if p.name in names]
    results = run_many([["validate", str(p)] for p in zips], tmp_path, cwd=work)
    assert [r["code"] for r in results] == [3] * len(zips)
    for folder in (work, work.parent, tmp_path, corpus[0].parent.parent, Path("/tmp")):
        leaked = [p.name for p in folder.glob("evil*")] + [p.name for p in folder.glob("*evil*")]
        assert not leaked, (folder, leaked)
    assert not Path("/tmp/absolute_evil.geojson").exists()
    assert not Path("C:/evil_drive.geojson").exists()


def test_external_entities_are_not_resolved(
    runs: dict[tuple[str, str], dict[str, Any]],
) -> None:
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace")
    first_line = passwd.splitlines()[0] if passwd else "root:"
    for name in ("external_entity.kml", "external_entity.gpx", "billion_laughs.kml"):
        for command in ("validate", "summary"):
            result = runs[(command, name)]
            said = result["stdout"] + result["stderr"]
            assert first_line not in said and "root:" not in said, name
            assert "aaaaaaaaaa" not in said, name


def test_a_plain_kml_is_read(tmp_path: Path) -> None:
    """The entity guard refuses declarations, not KML: a normal file is read as structures."""
    kml = tmp_path / "ok.kml"
    kml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document>"
        + "".join(
            f"<Placemark><name>{i}</name><ExtendedData><Data name='damage'><value>{d}</value>"
            f"</Data></ExtendedData><Point><coordinates>46.9{i},39.6</coordinates></Point>"
            "</Placemark>"
            for i, d in enumerate(("destroyed", "damaged", "destroyed"))
        )
        + "</Document></kml>",
        encoding="utf-8",
    )
    result = load(kml)
    assert result.kind == "gis"
    assert result.report["damage_counts"] == {"destroyed": 2, "damaged": 1}


# --- reader behaviour on specific bad input (in process) ----------------------------------


def _result(path: Path, text: str | bytes, **kwargs: Any) -> Any:
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load(path, **kwargs)


def test_count_rejects_name_row_column_value_and_reason(tmp_path: Path) -> None:
    result = _result(
        tmp_path / "c.csv",
        "district,destroyed\nFuzuli,-3\nTartar,2.5\nBarda,many\nAghdam,99999999999999999999\n"
        "Ganja,7\n",
    )
    rejects = result.rejects.set_index("locator")
    assert rejects.loc["row 2", "reason"] == "negative count"
    assert rejects.loc["row 3", "reason"] == "not a whole number"
    assert rejects.loc["row 4", "reason"] == "not a number"
    assert rejects.loc["row 5", "reason"].startswith("count too large")
    assert rejects.loc["row 5", "value"] == "99999999999999999999"
    assert set(rejects["column"]) == {"destroyed"}
    assert result.report["damage_counts"] == {"destroyed": 7}


def test_dates_before_1900_rejected_and_future_dates_flagged(tmp_path: Path) -> None:
    result = _result(
        tmp_path / "d.csv",
        "district,destroyed,date\nFuzuli,11,2099-01-01\nTartar,5,1850-01-01\nBarda,4,2020-10-29\n",
    )
    assert result.rejects["reason"].tolist() == [
        "date before 1900: not a report date; fix the year"
    ]
    future = result.figures[result.figures["as_of"] > "2090-01-01"]
    assert future["status"].tolist() == ["needs_review"]
    assert "future_date" in future["flags"].iloc[0]
    assert any("in the future" in w for w in result.report["warnings"])


def test_duplicate_columns_are_not_counted_twice(tmp_path: Path) -> None:
    result = _result(tmp_path / "dup.csv", "district,destroyed,destroyed\nFuzuli,11,12\n")
    assert result.report["damage_counts"] == {"destroyed": 11}
    assert any("more than once" in w for w in result.report["warnings"])
    chosen = load(tmp_path / "dup.csv", columns={"place": "district", "destroyed": "destroyed_2"})
    assert chosen.report["damage_counts"] == {"destroyed": 12}


def test_projected_coordinates_in_geojson_are_rejected(tmp_path: Path) -> None:
    result = _result(
        tmp_path / "p.geojson",
        _collection([_point(512000.0, 4390000.0), _point(46.9, 39.6, "damaged")]),
    )
    assert result.report["rows_kept"] == 1
    assert result.rejects["reason"].str.contains("outside longitude/latitude").all()
    assert result.report["damage_counts"] == {"damaged": 1}


def test_swapped_axes_in_range_are_flagged_when_assigned(tmp_path: Path) -> None:
    """lon/lat swapped but both in range cannot be seen by the reader; assignment sees it."""
    import logging

    result = _result(
        tmp_path / "s.csv", "lon,lat,damage\n39.99,46.93,destroyed\n39.98,46.94,damaged\n"
    )
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Keep()
    logger = logging.getLogger("damage_data")
    logger.addHandler(handler)
    try:
        figures = figures_of(result, country="AZ")
    finally:
        logger.removeHandler(handler)
    assert any("swapped" in m for m in records), records
    assert figures["unit_code"].isna().all() or figures.empty


def test_mixed_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes("district,destroyed\nFüzuli,11\n".encode() + b"Tart\xe9r,5\n")
    with pytest.raises(InputError, match=r"m\.csv: mixed text encodings.*line 3"):
        load(path)
    assert load(path, encoding="latin-1").report["rows_read"] == 2


# --- limits, each enforced with a tiny value ------------------------------------------------


def _csv(path: Path, rows: int) -> Path:
    path.write_text(
        "district,destroyed\n" + "".join(f"p{i},{i}\n" for i in range(rows)), encoding="utf-8"
    )
    return path


def test_limit_file_size(tmp_path: Path) -> None:
    path = _csv(tmp_path / "t.csv", 10)
    with pytest.raises(LimitExceededError, match="over the limit of 50"):
        load(path, limits=Limits(max_file_bytes=50))
    assert load(path, limits=Limits(max_file_bytes=10_000)).report["rows_read"] == 10


@pytest.mark.parametrize(
    "kind",
    ["csv", "xlsx", "geojson", "parquet", "codab", "hxl", "hxl_json", "series", "xbd"],
)
def test_limit_rows_for_every_reader(tmp_path: Path, kind: str) -> None:
    n = 6
    if kind == "csv":
        path = _csv(tmp_path / "t.csv", n)
    elif kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["district", "destroyed"])
        for i in range(n):
            book.active.append([f"p{i}", i])
        path = tmp_path / "t.xlsx"
        book.save(path)
    elif kind == "geojson":
        path = tmp_path / "t.geojson"
        path.write_bytes(_collection([_point(46.9, 39.6)] * n))
    elif kind == "parquet":
        import geopandas as gpd
        from shapely.geometry import Point

        path = tmp_path / "t.parquet"
        gpd.GeoDataFrame(
            {"damage": ["destroyed"] * n}, geometry=[Point(46.9, 39.6)] * n, crs=4326
        ).to_parquet(path)
    elif kind == "codab":
        path = tmp_path / "cod.csv"
        path.write_text(
            "ADM1_PCODE,ADM1_EN\n" + "".join(f"AZ{i:02d},p{i}\n" for i in range(n)),
            encoding="utf-8",
        )
    elif kind == "hxl":
        path = tmp_path / "h.csv"
        path.write_text(
            "District,Destroyed\n#adm2+name,#affected+buildings+destroyed\n"
            + "".join(f"p{i},{i}\n" for i in range(n)),
            encoding="utf-8",
        )
    elif kind == "hxl_json":
        path = tmp_path / "h.json"
        items = [{"#adm2+name": f"p{i}", "#affected+buildings+destroyed": i} for i in range(n)]
        path.write_text(json.dumps(items), encoding="utf-8")
    elif kind == "series":
        path = tmp_path / "s.json"
        items = [{"report_date": f"2024-01-0{i + 1}", "destroyed": {"houses": i}} for i in range(n)]
        path.write_text(json.dumps(items), encoding="utf-8")
    else:
        path = tmp_path / "x.json"
        feature = {"properties": {"feature_type": "building", "subtype": "destroyed"}}
        feature["wkt"] = "POLYGON ((0 0, 1 0, 1 1, 0 0))"  # type: ignore[assignment]
        path.write_text(
            json.dumps({"features": {"lng_lat": [feature] * n}, "metadata": {}}), encoding="utf-8"
        )
    assert load(path, limits=Limits(max_rows=n)).report["rows_read"] == n
    with pytest.raises(LimitExceededError, match=f"over the limit of {n - 1}"):
        load(path, limits=Limits(max_rows=n - 1))


def test_limit_json_depth(tmp_path: Path) -> None:
    path = tmp_path / "d.geojson"
    nested: Any = 1
    for _ in range(10):
        nested = {"x": nested}
    feature = _point(46.9, 39.6)
    feature["properties"]["extra"] = nested
    path.write_bytes(_collection([feature]))
    assert load(path).report["rows_read"] == 1
    with pytest.raises(LimitExceededError, match="nesting deeper than 5"):
        load(path, limits=Limits(max_json_depth=5))


def test_limit_zip_sizes(tmp_path: Path) -> None:
    member = _collection([_point(46.9, 39.6)] * 50)
    path = _zip_with(
        tmp_path / "z.zip", {"a.geojson": member, "b.txt": b"x"}, compression=zipfile.ZIP_DEFLATED
    )
    assert load(path).report["rows_read"] == 50
    with pytest.raises(LimitExceededError, match="unpacks to"):
        load(path, limits=Limits(max_uncompressed_bytes=len(member) // 2))
    with pytest.raises(LimitExceededError, match="2 members"):
        load(path, limits=Limits(max_zip_members=1))
    big = _zip_with(
        tmp_path / "big.zip",
        {"a.geojson": _collection([_point(46.9, 39.6)] * 20_000)},
        compression=zipfile.ZIP_DEFLATED,
    )
    with pytest.raises(LimitExceededError, match="zip bomb"):
        load(big, limits=Limits(max_compression_ratio=5))


def test_limit_nested_zips_share_one_budget(tmp_path: Path) -> None:
    member = b" " * 600_000
    inner = _zip_with(tmp_path / "inner.zip", {"a.txt": member}, compression=zipfile.ZIP_DEFLATED)
    outer = _zip_with(tmp_path / "outer.zip", {"inner.zip": inner.read_bytes(), "b.txt": b"1"})
    with pytest.raises(LimitExceededError):
        load(outer, limits=Limits(max_uncompressed_bytes=500_000, max_compression_ratio=10_000))


def test_limit_xlsx_is_checked_as_a_zip(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["district", "destroyed"])
    for _ in range(3000):
        book.active.append(["Fuzuli", 1])
    path = tmp_path / "w.xlsx"
    book.save(path)
    with pytest.raises(LimitExceededError, match="unpacks to"):
        load(path, limits=Limits(max_uncompressed_bytes=10_000))


def test_limits_refuse_nonsense() -> None:
    with pytest.raises(DamageDataError, match="max_rows must be a positive number"):
        Limits(max_rows=0)


def test_cli_limit_overrides(tmp_path: Path) -> None:
    from damage_data.cli import main

    path = _csv(tmp_path / "t.csv", 5)
    assert main(["validate", str(path), "--max-rows", "4"]) == 3
    assert main(["validate", str(path), "--max-file-mb", "0.00001"]) == 3
    assert main(["validate", str(path), "--max-rows", "0"]) == 2
    assert main(["validate", str(path), "--max-rows", "5", "--format", "json"]) == 0


# --- no way in ------------------------------------------------------------------------------


def _refuse_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("network use at run time")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_nothing_uses_the_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The main paths run with sockets disabled."""
    _refuse_network(monkeypatch)
    from damage_data.cli import main

    assert main(["summary", "--format", "json"]) == 0
    assert main(["report", "-o", str(tmp_path / "r"), "--quiet"]) == 0
    assert main(["places", "resolve", "Fizuli", "--country", "AZ", "--format", "json"]) == 0
    text = tmp_path / "t.txt"
    text.write_text(
        "Some 11 houses were completely destroyed in Fuzuli district.", encoding="utf-8"
    )
    assert main(["extract", str(text), "--format", "json"]) == 0


def test_every_reader_and_the_register_work_offline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """load() of each kind, and an ingest into a register, with sockets disabled."""
    import geopandas as gpd
    from shapely.geometry import Point

    from damage_data.register import ingest

    files: dict[str, Path] = {}
    files["table"] = _csv(tmp_path / "t.csv", 3)
    files["gis"] = tmp_path / "g.geojson"
    files["gis"].write_bytes(_collection([_point(46.9, 39.6)]))
    files["hxl"] = tmp_path / "h.csv"
    files["hxl"].write_text(
        "District,Destroyed\n#adm2+name,#affected+buildings+destroyed\nFuzuli,4\n",
        encoding="utf-8",
    )
    files["series"] = tmp_path / "s.json"
    files["series"].write_text(
        json.dumps([{"report_date": "2024-01-01", "destroyed": {"houses": 3}}]), encoding="utf-8"
    )
    files["text"] = tmp_path / "p.txt"
    files["text"].write_text("In Tartar district, 133 houses were destroyed.", encoding="utf-8")
    files["codab"] = tmp_path / "cod.csv"
    files["codab"].write_text("ADM1_PCODE,ADM1_EN\nAZ01,Fuzuli\n", encoding="utf-8")
    unosat = gpd.GeoDataFrame(
        {"SiteID": ["a"], "Main_Damage_Site_Class": ["Destroyed"], "SensorDate": ["2020-11-01"]},
        geometry=[Point(46.9, 39.6)],
        crs=4326,
    )
    files["unosat"] = tmp_path / "u.gpkg"
    unosat.to_file(files["unosat"])
    files["gis_zip"] = _zip_with(tmp_path / "g.zip", {"g.geojson": files["gis"].read_bytes()})
    files["xbd"] = tmp_path / "x.json"
    files["xbd"].write_text(
        json.dumps(
            {
                "metadata": {"capture_date": "2018-01-01"},
                "features": {
                    "lng_lat": [
                        {
                            "wkt": "POLYGON ((0 0, 1 0, 1 1, 0 0))",
                            "properties": {"feature_type": "building", "subtype": "destroyed"},
                        }
                    ]
                },
            }
        ),
        encoding="utf-8",
    )
    files["copernicus"] = tmp_path / "EMSR000_settlements_poly_grading.geojson"
    polygon = {
        "type": "Polygon",
        "coordinates": [[[46.9, 39.6], [46.91, 39.6], [46.9, 39.61], [46.9, 39.6]]],
    }
    files["copernicus"].write_bytes(
        _collection(
            [
                {
                    "type": "Feature",
                    "properties": {"grading": "Destroyed", "settl_type": "Residential"},
                    "geometry": polygon,
                }
            ]
        )
    )
    _refuse_network(monkeypatch)
    kinds = {name: load(path).kind for name, path in files.items()}
    assert kinds == {
        "table": "table",
        "gis": "gis",
        "hxl": "hxl",
        "series": "series",
        "text": "text",
        "codab": "codab",
        "unosat": "unosat",
        "gis_zip": "gis",
        "xbd": "xbd",
        "copernicus": "copernicus",
    }
    for name in ("table", "gis", "text"):
        figures_of(load(files[name]), country="AZ")
    results = ingest(tmp_path / "register.gpkg", [str(files["table"]), str(files["text"])])
    assert len(results) == 2


def test_no_pickle_or_eval_in_the_package() -> None:
    package = Path(__file__).resolve().parents[1] / "damage_data"
    banned = (
        "import pickle",
        "pickle.load",
        "eval(",
        "exec(",
        "yaml.load(",
        "marshal.load",
        "shelve.",
        "allow_pickle=True",
        "read_pickle",
        "extractall(",
    )
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        for word in banned:
            assert word not in text, f"{source.name} uses {word}"


def test_spreadsheet_writers_neutralise_formulas(tmp_path: Path) -> None:
    """A formula planted in a source never reaches an exported CSV cell unescaped."""
    import pandas as pd

    from damage_data.cli._common import render

    frame = pd.DataFrame({"place": ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "ok"]})
    text = render(frame, "csv")
    cells = [line for line in text.splitlines()[1:]]
    for cell in cells:
        assert not cell.lstrip('"').startswith(("=", "+", "@")), cell
        assert not cell.lstrip('"').startswith("-2+"), cell
