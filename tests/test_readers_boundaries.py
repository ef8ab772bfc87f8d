"""Boundary files read for a gazetteer (``--units``, COD-AB) stay offline for library users.

The command line switches GDAL's network off for its whole process; a notebook calling
:func:`damage_data.readers.boundaries.read_boundary_table` must get the same guard. GDAL's
HTTP client (libcurl) bypasses Python's ``socket``, so only a real server shows whether a
request was made, and only a fresh interpreter is free of the command line's switch.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from damage_data.readers.boundaries import read_boundary_table

SQUARE = [[[46.0, 39.0], [48.0, 39.0], [48.0, 41.0], [46.0, 41.0], [46.0, 39.0]]]
WKT = (
    b'GEOGCS["x",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
    b'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'
)

_NOTEBOOK = """
import sys
import pyogrio
from damage_data.readers.boundaries import read_boundary_table
path = sys.argv[1]
units = read_boundary_table(path)
assert units["name"].tolist() == ["Square"], units
print("read", flush=True)
sys.stdin.readline()  # the test has looked at the server
pyogrio.read_info(path)  # the user's own GDAL call: it fetches as GDAL always did
print("done", flush=True)
"""


class _Server:
    """An HTTP server on 127.0.0.1 that answers every request with a WKT CRS, and counts."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", str(len(WKT)))
                self.end_headers()
                self.wfile.write(WKT)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[_Server]:
    running = _Server()
    try:
        yield running
    finally:
        running.server.shutdown()
        running.server.server_close()


def _units(path: Path, crs: dict[str, object]) -> Path:
    feature = {
        "type": "Feature",
        "properties": {"code": "X-1", "name": "Square"},
        "geometry": {"type": "Polygon", "coordinates": SQUARE},
    }
    collection = {"type": "FeatureCollection", "crs": crs, "features": [feature]}
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def test_a_crs_named_by_url_makes_no_request(tmp_path: Path, server: _Server) -> None:
    path = _units(
        tmp_path / "units.geojson", {"type": "link", "properties": {"href": f"{server.url}/crs"}}
    )
    child = subprocess.Popen(
        [sys.executable, "-c", _NOTEBOOK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    line = child.stdout.readline().strip()
    assert line == "read", child.stderr.read() if child.stderr else ""
    assert server.requests == []  # nothing while damage_data read the file
    out, err = child.communicate("\n", timeout=120)
    assert child.returncode == 0 and "done" in out, err
    # the same file read by GDAL outside damage_data does fetch: the check above can fail
    assert server.requests != []


def test_the_boundary_is_read_with_its_columns_and_crs(tmp_path: Path) -> None:
    path = _units(tmp_path / "units.geojson", {"type": "name", "properties": {"name": "EPSG:4326"}})
    units = read_boundary_table(path)
    assert units[["code", "name"]].to_dict("records") == [{"code": "X-1", "name": "Square"}]
    assert units.crs is not None and units.crs.to_epsg() == 4326
    assert units.geometry.iloc[0].bounds == (46.0, 39.0, 48.0, 41.0)
