"""Lazy, once-per-process loading of the trained artefacts in ``models/``."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

MODELS_DIR = Path(__file__).resolve().parent / "models"
_LOCK = threading.Lock()


@cache
def load_npz(name: str) -> dict[str, NDArray[np.generic]]:
    """Arrays of ``models/NAME.npz`` (no pickle allowed), loaded once."""
    with _LOCK, np.load(MODELS_DIR / f"{name}.npz", allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def model_files() -> list[Path]:
    """Every shipped model file (for the size budget)."""
    return sorted(p for p in MODELS_DIR.iterdir() if p.is_file() and p.suffix == ".npz")
