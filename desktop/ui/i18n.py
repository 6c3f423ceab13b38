"""Loading the user's language: Curio's own translation and Qt's for standard dialogs."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
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
