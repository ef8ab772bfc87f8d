"""Shared test settings: the ../shared folder (optional), a headless matplotlib backend."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]
#: ../shared beside the repository: real samples that may not be redistributed.
SHARED = REPO.parent / "shared"
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_path(*parts: str) -> Path:
    """Path under ../shared, skipping the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is optional)")
    return path


@pytest.fixture
def shared() -> type:
    """Access to ../shared: ``shared.path("realworld", ...)`` skips when absent."""

    class _Shared:
        root = SHARED
        path = staticmethod(shared_path)

    return _Shared
