"""Quick look (Space): the item's picture or text in a dialog, read in the background."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from . import core
from .signals import emit
from .tasks import Tasks

MAX_CHARS = 200_000  # enough to read; a whole ebook in a text widget would only slow it down


class PreviewDialog(QDialog):
    # Seconds the dialog was open when it closes: how long the user read the item (a dwell).
    readFor = Signal(float)

    def __init__(self, tasks: Tasks, item: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._opened = time.monotonic()
        self.finished.connect(lambda _result: emit(self.readFor, time.monotonic() - self._opened))
        self.setWindowTitle(item.get("title") or item.get("name") or "")
        self.resize(720, 560)
        self.heading = QLabel(item.get("title") or "")
        self.heading.setObjectName("detailTitle")
        self.heading.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlaceholderText(self.tr("Loading…"))
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.picture)
        self.scroll.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.text, 1)
        for key in (Qt.Key.Key_Space, Qt.Key.Key_Escape):
            QShortcut(QKeySequence(key), self, self.close)
        if item.get("kind") == "image" and item.get("path"):
            tasks.run(lambda: _image(item["path"]), self._show_image, lambda _e: self._load_text(tasks, item))
        else:
            self._load_text(tasks, item)

    def _load_text(self, tasks: Tasks, item: dict[str, Any]) -> None:
        tasks.read(lambda s: core.item_text(s, item["id"]), self._show_text,
                   lambda exc: self.text.setPlainText(str(exc)))

    def _show_image(self, image) -> None:
        if image.isNull():
            return
        pix = QPixmap.fromImage(image)
        self.picture.setPixmap(pix)
        self.scroll.show()
        self.text.hide()

    def _show_text(self, item: dict[str, Any] | None) -> None:
        body = (item or {}).get("body") or ""
        if not body:
            self.text.setPlaceholderText(self.tr("This item has no text."))
        self.text.setPlainText(body[:MAX_CHARS])


def _image(path: str):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImageReader

    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > 1600 or size.height() > 1200):
        reader.setScaledSize(size.scaled(QSize(1600, 1200), Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()
