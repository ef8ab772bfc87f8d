"""The ``damage-data`` command line: a thin layer over the library.

Each command lives in its own module of this package, parses its arguments, makes one
library call and writes the result. Data goes to stdout, messages to stderr. Exit codes
(DESIGN §5): 0 success, 1 internal error, 2 usage error, 3 unreadable or unsupported input,
4 validation failed under ``--strict``.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer

app = typer.Typer(
    name="damage-data",
    help="Structure-damage figures from press reports, tables and satellite products.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

#: Command modules, each with a ``register(app)`` function. Heavy imports happen inside
#: the commands, so ``damage-data --help`` stays fast.
COMMAND_MODULES: tuple[str, ...] = (
    "summary",
    "places",
    "validate",
    "extract",
    "register",
    "graphics",
    "report",
)


def _print_version(value: bool) -> None:
    if value:
        from damage_data import __version__

        typer.echo(f"damage-data {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        is_eager=True,  # before any command is required
        callback=_print_version,
    ),
) -> None:
    """Structure-damage figures from press reports, tables and satellite products."""


def _register_commands() -> None:
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(f"damage_data.cli.{name}") is None:
            continue
        module = importlib.import_module(f"damage_data.cli.{name}")
        module.register(app)


_register_commands()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (used by the console script and ``-m``)."""
    from damage_data._errors import DamageDataError

    from ._inputs import expand_columns

    args = expand_columns(list(sys.argv[1:] if argv is None else argv))
    _setup_logging()
    if not _only_help(args):
        from damage_data._gdal import offline_process

        # nothing is downloaded, whatever a file points to (GDAL fetches URLs itself)
        offline_process()
    try:
        app(args=args, prog_name="damage-data", standalone_mode=False)
    except DamageDataError as err:
        typer.echo(f"damage-data: error: {err}", err=True)
        return err.exit_code
    except OSError as err:
        from damage_data.export import environment_error

        message = environment_error(err)
        if message is None:
            return _internal_error(err)
        typer.echo(f"damage-data: error: {message}", err=True)
        return 3
    except typer.Exit as exit_:
        return int(exit_.exit_code or 0)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("damage-data: aborted", err=True)
        return 130
    except Exception as err:
        click_exc = _click_exception(err)
        if click_exc is not None:
            click_exc.show()
            return 2
        return _internal_error(err)
    return 0


def _internal_error(err: Exception) -> int:
    if os.environ.get("DAMAGE_DATA_DEBUG"):
        raise err
    typer.echo(
        f"damage-data: internal error: {type(err).__name__}: {err}\n"
        "Set DAMAGE_DATA_DEBUG=1 to see the traceback, and please report it.",
        err=True,
    )
    return 1


def _only_help(args: list[str]) -> bool:
    """Whether the command line only asks for help or the version (GDAL is not needed)."""
    return not args or any(a in ("--help", "-h", "--version") for a in args)


def _setup_logging() -> None:
    """Library warnings reach the terminal as one-line messages on stderr (no tracebacks)."""
    import logging

    logger = logging.getLogger("damage_data")
    if any(getattr(h, "_damage_data_cli", False) for h in logger.handlers):
        return

    class LowerLevel(logging.Formatter):  # "damage-data: warning: …" like the CLI's messages
        def format(self, record: logging.LogRecord) -> str:
            record = logging.makeLogRecord(record.__dict__)
            record.levelname = record.levelname.lower()
            return super().format(record)

    class CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
        """Writes to whatever ``sys.stderr`` is now (tests and notebooks replace it)."""

        @property
        def stream(self) -> Any:
            return sys.stderr

        @stream.setter
        def stream(self, _value: Any) -> None:
            pass

    handler = CurrentStderr()
    handler.setFormatter(LowerLevel("damage-data: %(levelname)s: %(message)s"))
    handler._damage_data_cli = True  # type: ignore[attr-defined]
    handler.setLevel(logging.DEBUG if os.environ.get("DAMAGE_DATA_DEBUG") else logging.WARNING)
    logger.addHandler(handler)
    logger.setLevel(handler.level)
    logger.propagate = False


def _click_exception(err: Exception):  # type: ignore[no-untyped-def]
    """Return ``err`` if it is a usage error from the (vendored) Click parser."""
    for cls in type(err).__mro__:
        if cls.__name__ in (
            "UsageError",
            "BadParameter",
            "NoSuchOption",
            "MissingParameter",
            "ClickException",
        ) and hasattr(err, "show"):
            return err
    return None
