"""The user's language: Curio's own translation, Qt's for standard dialogs, tag labels."""

from __future__ import annotations

import functools
import json
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from ..paths import resource_path


def install_translators(app: QApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Install translators for `locale` (default: the system's); returns those that loaded.

    Keep the returned list alive: a translator that is garbage-collected stops working.
    """
    locale = locale or QLocale.system()
    loaded = []
    ours = QTranslator(app)
    # QTranslator.load(locale, ...) tries curio_zh_CN, curio_zh, ... in the order Qt documents.
    if ours.load(locale, "curio", "_", str(resource_path("translations"))):
        app.installTranslator(ours)
        loaded.append(ours)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        loaded.append(qt)
    return loaded


def ui_language() -> str:
    """The language the UI speaks now ("en", "zh"), as the installed translation says.

    Asked of the translators themselves, so it follows a translator installed or removed
    at run time (the screenshots script switches languages in one process).
    """
    code = QCoreApplication.translate("Language", "en", "code of the UI language: en, zh")
    return (code or "en").strip() or "en"


@functools.cache
def _taxonomy_labels() -> dict[str, dict[str, str]]:
    """Taxonomy label id -> {language: label}, read once from the shipped taxonomy."""
    path = resource_path("taxonomy", "iptc-media-topics.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {d["id"]: dict(d.get("label") or {}) for d in data.get("labels", []) if "id" in d}


def tag_label(tag: dict[str, Any] | None, name: str | None = None) -> str:
    """A tag's name as the user should read it: a taxonomy tag in the UI's language.

    A taxonomy tag keeps the user's own name once renamed: only a name that is one of the
    label's shipped names is replaced.
    """
    tag = tag or {}
    name = name if name is not None else str(tag.get("name") or "")
    labels = _taxonomy_labels().get(tag.get("taxonomy_id") or "")
    if not labels or (name and name not in labels.values()):
        return name
    lang = ui_language()
    return labels.get(lang) or labels.get(lang.split("_")[0]) or labels.get("en") or name
