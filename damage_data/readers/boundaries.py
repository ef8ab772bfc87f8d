"""Boundary files and place tables read for a gazetteer, under the readers' limits.

Your own units (``--units``), COD-AB tables and village lists are inputs like any other: the
file size, zip, row and network guards of the readers apply to them too.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pandas as pd

from .._errors import InputError
from .._gdal import offline
from ..limits import DEFAULT_LIMITS, Limits, check_file_size, check_rows
from ._files import check_zip_sizes, decode_text, is_zip, unpacked_zip
from ._layers import list_layers, read_layer

log = logging.getLogger(__name__)


def read_boundary_table(
    path: str | Path,
    *,
    layer: str | int | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
) -> pd.DataFrame:
    """A boundary file (GeoJSON, GeoPackage, Shapefile, zip) or a CSV/XLSX table of places.

    Parameters
    ----------
    path
        The file.
    layer
        Layer name or index (multi-layer files), or sheet (workbooks).
    encoding
        Text encoding of a CSV, or of a DBF without its ``.cpg``.
    limits
        Safety limits (:class:`damage_data.limits.Limits`).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        Every column as read; boundary files keep their geometry and CRS.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "units.csv"
    >>> _ = p.write_text("code,name\\nX-1,One\\n")
    >>> read_boundary_table(p)["name"].tolist()
    ['One']
    """
    # GDAL must not fetch what a file points to (a GeoJSON crs link) in a notebook either;
    # the command line switches the network off for its whole process
    with offline():
        return _read_boundary_table(Path(path), layer, encoding, limits or DEFAULT_LIMITS)


def _read_boundary_table(
    p: Path, layer: str | int | None, encoding: str | None, limits: Limits
) -> pd.DataFrame:
    if not p.exists():
        raise InputError(
            f"{p}: file not found; give the path of a boundary file or table", path=str(p)
        )
    if p.is_file():
        check_file_size(p, limits)
    suffix = p.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        text, _ = decode_text(p.read_bytes(), p, encoding)
        try:
            table = pd.read_csv(
                io.StringIO(text), dtype=str, sep=None, engine="python", keep_default_na=False
            )
        except (ValueError, pd.errors.ParserError, csv.Error) as err:
            if not text.strip():
                raise InputError(f"{p}: the file is empty; nothing to read.", path=str(p)) from err
            raise InputError(f"{p}: not a readable table ({err}).", path=str(p)) from err
        check_rows(len(table), p, limits)
        return table.replace("", pd.NA)
    if suffix in (".xlsx", ".xlsm"):
        check_zip_sizes(p, limits)
        table = pd.read_excel(p, dtype=str, sheet_name=layer if layer is not None else 0)
        check_rows(len(table), p, limits)
        return table
    if p.is_file() and is_zip(p):
        with unpacked_zip(p, limits) as folder:
            return _read_layer(folder, p, layer, encoding, limits)
    return _read_layer(p, p, layer, encoding, limits)


def _read_layer(
    target: Path, shown: Path, layer: str | int | None, encoding: str | None, limits: Limits
) -> pd.DataFrame:
    layers = list_layers(target, limits)
    if not layers:
        raise InputError(
            f"{shown}: no readable layer; supported: GeoJSON, GeoPackage, Shapefile, zip, "
            "CSV, XLSX",
            path=str(shown),
        )
    if layer is None:
        chosen = layers[0]
    elif isinstance(layer, int):
        if not 0 <= layer < len(layers):
            raise InputError(f"{shown}: no layer number {layer}", path=str(shown))
        chosen = layers[layer]
    else:
        named = [lay for lay in layers if lay.name == layer]
        if not named:
            names = ", ".join(lay.name for lay in layers)
            raise InputError(f"{shown}: no layer {layer!r}; layers: {names}", path=str(shown))
        chosen = named[0]
    table: pd.DataFrame = read_layer(chosen, limits, encoding=encoding)
    _warn_mojibake(table, shown)
    return table


def _warn_mojibake(table: pd.DataFrame, path: Path) -> None:
    """Names decoded with the wrong code page ('ÐšÐ¸Ñ—Ð²') are reported, not silently used."""
    text = " ".join(
        str(v) for c in table.columns if table[c].dtype == object for v in table[c].head(50)
    )
    if any(marker in text for marker in ("Ð", "Ã", "Ñ\u0081", "â€")):
        log.warning(
            "%s: names look garbled (a text encoding read wrongly); give the encoding "
            "(e.g. encoding='UTF-8' or --units-encoding) to read them right",
            path,
        )
