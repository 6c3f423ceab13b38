"""The 2-D map of the library: one dot per item, coloured by cluster.

Hover shows the title, a click selects one item, dragging draws a rubber band that
selects every item inside it. Points are painted directly (no scene items), so the map
stays quick with thousands of items.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QRubberBand, QToolTip, QWidget

from .signals import emit

PALETTE = ["#3b82f6", "#ef4444", "#10b981", "#f59e0b", "#8b5cf6", "#ec4899", "#14b8a6", "#f97316",
           "#6366f1", "#84cc16", "#06b6d4", "#a855f7", "#e11d48", "#0ea5e9", "#65a30d", "#d946ef"]


def cluster_colour(cluster_id: int | None) -> QColor:
    if cluster_id is None:
        return QColor("#9ca3af")
    return QColor(PALETTE[int(cluster_id) % len(PALETTE)])


class ClusterMap(QWidget):
    selectionChanged = Signal(list)  # item ids
    itemActivated = Signal(int)

    RADIUS = 4.5
    MARGIN = 18

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[dict[str, Any]] = []
        self.selected: set[int] = set()
        self.highlight_cluster: int | None = None
        self._screen: list[QPointF] = []
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, self)
        self._origin: QPointF | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(280, 220)

    def sizeHint(self) -> QSize:
        return QSize(520, 420)

    def set_points(self, points: list[dict[str, Any]]) -> None:
        self.points = [p for p in points if p.get("x") is not None and p.get("y") is not None]
        self.selected &= {p["id"] for p in self.points}
        self._layout()
        self.update()

    def set_highlight(self, cluster_id: int | None) -> None:
        self.highlight_cluster = cluster_id
        self.update()

    def select_ids(self, ids: set[int]) -> None:
        self.selected = set(ids)
        self.update()
        emit(self.selectionChanged, sorted(self.selected))

    # -- geometry --------------------------------------------------------------------
    def _layout(self) -> None:
        if not self.points:
            self._screen = []
            return
        xs = [p["x"] for p in self.points]
        ys = [p["y"] for p in self.points]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        w = max(1.0, self.width() - 2 * self.MARGIN)
        h = max(1.0, self.height() - 2 * self.MARGIN)
        sx = w / (x1 - x0) if x1 > x0 else 0.0
        sy = h / (y1 - y0) if y1 > y0 else 0.0
        scale = min(sx or sy, sy or sx) or 1.0  # keep the layout's aspect ratio
        ox = self.MARGIN + (w - (x1 - x0) * scale) / 2
        oy = self.MARGIN + (h - (y1 - y0) * scale) / 2
        self._screen = [QPointF(ox + (p["x"] - x0) * scale, oy + (y1 - p["y"]) * scale)
                        for p in self.points]

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._layout()
        super().resizeEvent(event)

    def point_at(self, pos: QPointF) -> int | None:
        best, best_d = None, (self.RADIUS + 3) ** 2
        for i, sp in enumerate(self._screen):
            d = (sp.x() - pos.x()) ** 2 + (sp.y() - pos.y()) ** 2
            if d <= best_d:
                best, best_d = i, d
        return best

    # -- painting --------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.points:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             self.tr("No map yet: build clusters first."))
            return
        r = self.RADIUS
        outline = self.palette().text().color()
        for point, sp in zip(self.points, self._screen, strict=False):
            colour = cluster_colour(point.get("cluster_id"))
            dim = self.highlight_cluster is not None and point.get("cluster_id") != self.highlight_cluster
            if dim:
                colour.setAlpha(60)
            painter.setBrush(colour)
            if point["id"] in self.selected:
                painter.setPen(QPen(outline, 2))
                painter.drawEllipse(sp, r + 2, r + 2)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(sp, r, r)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))

    # -- mouse -----------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._origin = event.position()
            self._band.setGeometry(QRect(event.position().toPoint(), QSize()))
            self._band.show()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._origin is not None:
            self._band.setGeometry(QRectF(self._origin, event.position()).normalized().toRect())
            return
        hit = self.point_at(event.position())
        if hit is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), self.points[hit].get("title") or "", self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._origin is None:
            return
        band = QRectF(self._origin, event.position()).normalized()
        self._origin = None
        self._band.hide()
        mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        add = bool(event.modifiers() & mods)
        if band.width() < 4 and band.height() < 4:
            hit = self.point_at(event.position())
            ids = {self.points[hit]["id"]} if hit is not None else set()
        else:
            ids = {p["id"] for p, sp in zip(self.points, self._screen, strict=False) if band.contains(sp)}
        self.select_ids(self.selected | ids if add else ids)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        hit = self.point_at(event.position())
        if hit is not None:
            emit(self.itemActivated, self.points[hit]["id"])
