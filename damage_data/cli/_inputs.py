"""The input options every data command shares, and the one call that collects the inputs.

``summary``, ``report``, ``map``, ``chart``, ``ingest`` and ``validate`` take the same
options for what to read and how: ``--register``, ``--kind``, ``--columns ROLE=COLUMN …``,
``--mapping FILE``, ``--units FILE`` (with ``--units-code``/``--units-name``), ``--country``,
``--gazetteer FILE`` and ``--as-of``. :func:`collect_inputs` turns them into one
:func:`damage_data.pipeline.collect` call.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from damage_data._errors import UsageError

from ._common import say

if TYPE_CHECKING:
    from damage_data.tables import Collected


def inputs_argument() -> Any:
    return typer.Argument(
        None,
        help="Input files (tables, GIS files, damage products, HXL, press reports, a "
        "report's figures.csv). None: the bundled example.",
    )


def register_option(help: str = "Also read this damage register (.gpkg).") -> Any:
    return typer.Option(None, "--register", help=help)


def kind_option() -> Any:
    return typer.Option("auto", "--kind", help="Reader kind for all inputs (see `formats`).")


def layer_option() -> Any:
    return typer.Option(
        None,
        "--layer",
        help="The layer of a GIS file or the sheet of a workbook to read (default: every "
        "layer with damage; a workbook's first sheet).",
    )


def columns_option() -> Any:
    return typer.Option(
        None,
        "--columns",
        help="Column roles, e.g. --columns damage='House damage' place=district "
        "village=village unit=buildings (roles: place, village, parent, unit_code, date, "
        "damage, count, structure, unit, source, lon, lat, wkt, id, or a damage state "
        "naming a count column).",
    )


def mapping_option() -> Any:
    return typer.Option(
        None, "--mapping", help="A reusable column mapping: FILE.json, .toml or .yaml."
    )


def units_option() -> Any:
    return typer.Option(None, "--units", help="Your own boundaries (any GIS file or COD-AB table).")


def units_name_option() -> Any:
    return typer.Option(None, "--units-name", "--name-column", help="Name column of --units.")


def units_code_option() -> Any:
    return typer.Option(None, "--units-code", "--code-column", help="Code column of --units.")


def country_option() -> Any:
    return typer.Option(None, "--country", help="Country (ISO alpha-2) to resolve places in.")


def gazetteer_option() -> Any:
    return typer.Option(
        None,
        "--gazetteer",
        help="Your own village gazetteer: a CSV (name, parent_code, lon, lat) or a GeoNames dump.",
    )


def damage_scheme_option() -> Any:
    return typer.Option(
        None,
        "--damage-scheme",
        help="The damage vocabulary of the inputs' labels (unosat, copernicus_ems, ems98, …); "
        "default: detected.",
    )


def as_of_option() -> Any:
    return typer.Option(None, "--as-of", help="Use figures dated up to YYYY-MM-DD.")


def policy_option() -> Any:
    return typer.Option("best", "--policy", help="best|latest|max.")


def parse_columns(pairs: list[str] | None, mapping: Path | None) -> dict[str, str] | None:
    """``--columns ROLE=COLUMN`` pairs and a ``--mapping`` file as one role → column dict."""
    out: dict[str, str] = {}
    if mapping is not None:
        out.update(read_mapping(mapping))
    given: dict[str, str] = {}
    for pair in pairs or []:
        role, sep, column = pair.partition("=")
        if not sep or not role.strip() or not column.strip():
            raise UsageError(
                f"--columns {pair!r}: write ROLE=COLUMN, e.g. --columns damage='House damage'"
            )
        role, column = role.strip(), column.strip().strip("\"'")
        if role in given and given[role] != column:
            # the last one used to win in silence, dropping the first column's counts
            raise UsageError(
                f"--columns names {role} twice ({given[role]!r}, {column!r}): a role takes "
                "one column. Whether two columns of one state add up (private and public "
                "buildings) or one is part of the other (all buildings, of which homes) is "
                "not for the toolkit to guess: add them in the file, or name the total"
            )
        given[role] = column
        out[role] = column
    return out or None


def read_mapping(path: Path) -> dict[str, str]:
    """A mapping file: ``{"columns": {role: column}}`` or a flat ``{role: column}``."""
    if not path.is_file():
        raise UsageError(f"--mapping {path}: no such file")
    suffix = path.suffix.lower()
    from damage_data.readers._files import decode_text

    # a mapping saved by a spreadsheet or an editor on Windows (cp1251, UTF-16, a BOM)
    text, _ = decode_text(path.read_bytes(), path)
    text = text.lstrip("\ufeff")
    try:
        if suffix == ".json":
            import json

            data = json.loads(text)
        elif suffix == ".toml":
            import tomllib

            data = tomllib.loads(text)
        elif suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            raise UsageError(f"--mapping {path}: write it as .json, .toml or .yaml")
    except UsageError:
        raise
    except Exception as err:  # json, toml and yaml parser errors
        raise UsageError(f"--mapping {path}: not readable ({err})") from err
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if data is None or data == {}:
        raise UsageError(
            f"--mapping {path}: no role = column pairs in it, e.g. "
            '{"columns": {"damage": "House damage", "place": "district"}}'
        )
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise UsageError(
            f"--mapping {path}: expected role = column pairs, e.g. "
            '{"columns": {"damage": "House damage", "place": "district"}}'
        )
    return dict(data)


def user_units(path: Path | None, name_column: str | None, code_column: str | None) -> Any:
    """The units of a user's boundary file (``--units``), polygons sharing a code dissolved."""
    if path is None:
        if name_column or code_column:
            raise UsageError("--units-name and --units-code need --units FILE")
        return None
    from damage_data.places import gazetteer_from_path

    return gazetteer_from_path(path, name_column=name_column, code_column=code_column).units


def user_settlements(path: Path | None) -> Any:
    """A user's village gazetteer (``--gazetteer``) as ``name, unit_code, lon, lat``."""
    if path is None:
        return None
    p = Path(path)
    stamp = p.stat().st_mtime_ns if p.is_file() else None
    return _settlements(p, stamp).copy()


@functools.lru_cache(maxsize=4)
def _settlements(path: Path, stamp: int | None) -> Any:
    """Read once per command (the figures and the summary both need it; its warnings are
    said once)."""
    from damage_data.places import settlements_from_path

    return settlements_from_path(path)


def collect_inputs(
    inputs: list[Path] | None,
    *,
    register: Path | None = None,
    kind: str = "auto",
    layer: str | None = None,
    columns: list[str] | None = None,
    mapping: Path | None = None,
    units: Path | None = None,
    units_name: str | None = None,
    units_code: str | None = None,
    country: str | None = None,
    gazetteer: Path | None = None,
    as_of: str | None = None,
    damage_scheme: str | None = None,
    quiet: bool = False,
) -> Collected:
    """The inputs, a register, or (with neither) the bundled example; says which on stderr."""
    from damage_data.pipeline import collect

    if not inputs and register is None and not quiet:
        say(
            "damage-data: no input given: using the bundled example "
            "(Karabakh 2020, data/examples/karabakh_2020)"
        )
    return collect(
        inputs or None,
        register=register,
        kind=kind,
        layer=layer,
        country=country.upper() if country else None,
        units=user_units(units, units_name, units_code),
        columns=parse_columns(columns, mapping),
        settlements=user_settlements(gazetteer),
        as_of=as_of,
        scheme=damage_scheme,
    )


_PAIR = re.compile(r"^[A-Za-z_][\w]*=")


def expand_columns(args: list[str]) -> list[str]:
    """``--columns a=X b=Y`` (pairs after one option, as the docs write them) → repeated
    ``--columns a=X --columns b=Y``, which the option parser understands."""
    out: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--columns":
            i += 1
            taken = 0
            while i < len(args) and _PAIR.match(args[i]) and not args[i].startswith("-"):
                out += ["--columns", args[i]]
                i += 1
                taken += 1
            if taken == 0:
                out.append(arg)
            continue
        out.append(arg)
        i += 1
    return out
