"""Where Curio's bundled files and the user's data live, from source and frozen alike."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Curio"


def bundle_root() -> Path:
    """The folder holding `resources/` and `models/`: the checkout, or PyInstaller's bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return bundle_root().joinpath("resources", *parts)


def models_dir() -> Path:
    override = os.environ.get("CURIO_MODELS_DIR")
    return Path(override) if override else bundle_root() / "models"


def data_dir() -> Path:
    """The user's data folder (catalog, thumbnails), following the platform's conventions."""
    override = os.environ.get("CURIO_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "catalog.sqlite3"


def cache_dir() -> Path:
    override = os.environ.get("CURIO_CACHE_DIR")
    path = Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path
