"""Issue 19 item 1: no read makes GDAL touch the network, whatever a file points to.

The files name URLs of a local HTTP server that counts requests; GDAL's own HTTP client
(libcurl) never goes through Python's ``socket``, so only a real server shows whether a
request was made. ``validate``, ``summary`` and ``ingest`` run on each file; the server
must see no request at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

POINT = {"type": "Point", "coordinates": [46.9, 39.6]}


def _geojson(crs: dict[str, Any]) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "crs": crs,
            "features": [
                {"type": "Feature", "properties": {"damage": "destroyed"}, "geometry": POINT}
            ],
        }
    )


def _hostile_files(folder: Path, base: str) -> dict[str, Path]:
    """One file per way a vector file can name a URL that GDAL would fetch."""
    texts = {
        # GeoJSON 2008 "linked" CRS: GDAL downloads the CRS definition
        "crs_link.geojson": _geojson(
            {"type": "link", "properties": {"href": f"{base}/crs", "type": "ogcwkt"}}
        ),
        "crs_url_name.geojson": _geojson({"type": "name", "properties": {"name": f"{base}/c"}}),
        # GML naming a remote (WFS) application schema
        "schema.gml": (
            '<?xml version="1.0"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            ' xmlns:gml="http://www.opengis.net/gml" xmlns:ns="http://x"'
            f' xsi:schemaLocation="http://x {base}/wfs?SERVICE=WFS&amp;REQUEST='
            'DescribeFeatureType&amp;TYPENAME=ns:b"><gml:featureMember><ns:b>'
            "<ns:damage>destroyed</ns:damage><ns:geom><gml:Point><gml:coordinates>46.9,39.6"
            "</gml:coordinates></gml:Point></ns:geom></ns:b></gml:featureMember>"
            "</wfs:FeatureCollection>"
        ),
        # GML geometry given by a remote xlink:href
        "xlink.gml": (
            '<?xml version="1.0"?><ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/"'
            ' xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<gml:featureMember><ogr:b fid="b.0"><ogr:damage>destroyed</ogr:damage>'
            f'<ogr:geometryProperty xlink:href="{base}/geom.gml#g1"/></ogr:b>'
            "</gml:featureMember></ogr:FeatureCollection>"
        ),
        # KML network link
        "network_link.kml": (
            '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f"<NetworkLink><Link><href>{base}/more.kml</href></Link></NetworkLink>"
            "<Placemark><name>destroyed</name><ExtendedData><Data name='damage'><value>"
            "destroyed</value></Data></ExtendedData><Point><coordinates>46.9,39.6"
            "</coordinates></Point></Placemark></Document></kml>"
        ),
    }
    out = {}
    for name, text in texts.items():
        out[name] = folder / name
        out[name].write_text(text, encoding="utf-8")
    # an OGR VRT whose source is remote, read as a GIS file (--kind gis)
    for name, source in (("vsicurl.vrt", f"/vsicurl/{base}/x.geojson"), ("http.vrt", base)):
        out[name] = folder / name
        out[name].write_text(
            f'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>{source}'
            "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>",
            encoding="utf-8",
        )
    return out


def test_no_request_from_validate_summary_or_ingest(
    tmp_path: Path, http_server: Any, cli_batch: Callable[..., Any]
) -> None:
    files = _hostile_files(tmp_path, http_server.url)
    jobs: list[list[str | Path]] = []
    for name, path in files.items():
        kind = ["--kind", "gis"] if name.endswith(".vrt") else []
        jobs += [
            ["validate", path, *kind],
            ["summary", path, "--format", "csv", *kind],
            ["ingest", path, "--register", tmp_path / f"{name}.gpkg", *kind],
        ]
    runs = cli_batch(jobs, cwd=tmp_path)
    assert http_server.requests == []
    for job, run in zip(jobs, runs, strict=True):
        assert run.code in (0, 3, 4), (job, run.code, run.stderr[-800:])
        assert run.no_traceback(), (job, run.stderr[-800:])


def test_the_linked_crs_file_is_still_read(
    tmp_path: Path, http_server: Any, cli: Callable[..., Any]
) -> None:
    """Refusing the download does not lose the data: the structure is counted (WGS 84)."""
    path = tmp_path / "link.geojson"
    path.write_text(
        _geojson({"type": "link", "properties": {"href": f"{http_server.url}/crs"}}),
        encoding="utf-8",
    )
    run = cli("validate", path, "--format", "json")
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["rows_read"] == 1 and report["rows_kept"] == 1
    assert http_server.requests == []


def test_units_file_with_a_linked_crs(
    tmp_path: Path, http_server: Any, cli: Callable[..., Any]
) -> None:
    """Boundaries given with --units are read offline too (not through load())."""
    units = tmp_path / "units.geojson"
    square = [[[46.0, 39.0], [48.0, 39.0], [48.0, 41.0], [46.0, 41.0], [46.0, 39.0]]]
    units.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "link", "properties": {"href": f"{http_server.url}/u"}},
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "X-1", "name": "Square"},
                        "geometry": {"type": "Polygon", "coordinates": square},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    data = tmp_path / "d.geojson"
    data.write_text(_geojson({"type": "name", "properties": {"name": "EPSG:4326"}}), "utf-8")
    run = cli(
        "summary", data, "--units", units, "--units-code", "code", "--units-name", "name",
        "--format", "csv",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    assert http_server.requests == []


_NOTEBOOK = """
import sys
import pyogrio
from damage_data.readers import load
path = sys.argv[1]
assert load(path).report["rows_kept"] == 1
print("loaded", flush=True)
pyogrio.read_info(path)  # the user's own GDAL call, after damage_data
print("done", flush=True)
"""


def test_load_is_offline_and_leaves_gdal_as_it_was(tmp_path: Path, http_server: Any) -> None:
    """In a notebook: load() makes no request, and GDAL is back to normal afterwards.

    A fresh interpreter: the command line (run in-process by other tests) switches the
    network off for its whole process, which is not what a notebook gets.
    """
    import subprocess
    import sys

    path = tmp_path / "link.geojson"
    path.write_text(
        _geojson({"type": "link", "properties": {"href": f"{http_server.url}/crs"}}),
        encoding="utf-8",
    )
    child = subprocess.Popen(
        [sys.executable, "-c", _NOTEBOOK, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "loaded", child.stderr.read() if child.stderr else ""
    assert http_server.requests == []  # nothing while damage_data read the file
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0 and "done" in out, err
    # outside damage_data, the user's GDAL fetches as it always did: the switch is scoped
    assert http_server.requests != []


@pytest.mark.parametrize("prefix", ["/vsicurl/", ""])
def test_a_url_as_input_is_never_fetched(
    tmp_path: Path, http_server: Any, cli: Callable[..., Any], prefix: str
) -> None:
    run = cli("validate", f"{prefix}{http_server.url}/data.geojson")
    assert run.code == 3, run.stderr
    assert "no such file" in run.stderr
    assert http_server.requests == []
