"""Item pictures: cached thumbnails decoded off the GUI thread, and kind badges."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QImageReader, QPainter, QPixmap

from .signals import emit
from .tasks import Tasks

SIZE = 128
_BADGE_COLOURS = ["#2563eb", "#7c3aed", "#db2777", "#ea580c", "#16a34a", "#0891b2", "#ca8a04",
                  "#4f46e5", "#dc2626", "#0d9488"]
_badges: dict[tuple[str, int], QPixmap] = {}


def badge(label: str, size: int = SIZE) -> QPixmap:
    """A rounded tile with a short label (PDF, EPUB, MP3) for items without a picture."""
    key = (label, size)
    if key not in _badges:
        pix = QPixmap(size, size)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(_BADGE_COLOURS[zlib.crc32(label.encode()) % len(_BADGE_COLOURS)])
        inset = size * 0.1
        rect = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, size * 0.14, size * 0.14)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(6, int(size * (0.24 if len(label) <= 3 else 0.18))))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
        _badges[key] = pix
    return _badges[key]


_badge_icons: dict[str, QIcon] = {}


def badge_icon(label: str) -> QIcon:
    if label not in _badge_icons:
        _badge_icons[label] = QIcon(badge(label))
    return _badge_icons[label]


def label_for(item: dict) -> str:
    suffix = (item.get("suffix") or "").lstrip(".").upper()
    return (suffix or (item.get("kind") or "?")[:3].upper())[:4]


def _load(path: str, size: int) -> QImage:
    # QImage (unlike QPixmap) may be made on any thread.
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        return image
    return image.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


class Thumbnails(QObject):
    """Asks for a picture once, caches it, and says when one has arrived."""

    loaded = Signal(str)

    def __init__(self, tasks: Tasks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._cache: dict[str, QPixmap | None] = {}
        self._icons: dict[str, QIcon] = {}

    def icon(self, path: str | None) -> QIcon | None:
        pix = self.get(path)
        if pix is None:
            return None
        if path not in self._icons:
            self._icons[path] = QIcon(pix)
        return self._icons[path]

    def get(self, path: str | None) -> QPixmap | None:
        if not path:
            return None
        if path in self._cache:
            return self._cache[path]
        self._cache[path] = None  # asked for: don't ask twice

        def done(image: QImage, path: str = path) -> None:
            if not image.isNull():
                self._cache[path] = QPixmap.fromImage(image)
                emit(self.loaded, path)

        self.tasks.run(lambda: _load(path, SIZE), done, lambda _exc: None)
        return None
