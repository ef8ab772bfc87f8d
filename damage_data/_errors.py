"""Error types: one base class, each subclass also inheriting the builtin it refines.

Every error carries an ``exit_code`` so the CLI can turn it into the documented code
(DESIGN §5): 2 usage error, 3 unreadable or unsupported input, 4 validation failed.
"""

from __future__ import annotations

from typing import Any


class DamageDataError(Exception):
    """Base class of every error damage_data raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def __str__(self) -> str:
        return self.message


class UsageError(DamageDataError, ValueError):
    """A bad argument or option (exit code 2)."""

    exit_code = 2


class InputError(DamageDataError, OSError):
    """An input that cannot be read or is not a supported kind (exit code 3)."""

    exit_code = 3

    def __init__(self, message: str, *, path: str | None = None, **context: Any) -> None:
        super().__init__(message, path=path, **context)
        self.path = path


class LimitExceededError(InputError):
    """An input over a configured safety limit (size, rows, nesting); exit code 3."""


class UnknownLabelError(DamageDataError, LookupError):
    """A label missing from a vocabulary or crosswalk; lists the known ones (exit code 4)."""

    exit_code = 4

    def __init__(
        self, message: str, *, label: object = None, known: list[str] | None = None, **context: Any
    ) -> None:
        super().__init__(message, label=label, known=known, **context)
        self.label = label
        self.known = known or []


class ValidationError(DamageDataError, ValueError):
    """A table that breaks its contract; ``failure_cases`` lists every failure (exit code 4).

    ``failure_cases`` is a DataFrame with columns ``row, column, value, reason``.
    """

    exit_code = 4

    def __init__(self, message: str, *, failure_cases: Any = None, **context: Any) -> None:
        super().__init__(message, **context)
        self.failure_cases = failure_cases


class PlaceResolutionError(DamageDataError, LookupError):
    """A place that could not be resolved where resolution was required (exit code 4)."""

    exit_code = 4


class RegisterError(DamageDataError, RuntimeError):
    """A damage register that cannot be opened or written (exit code 3)."""

    exit_code = 3
