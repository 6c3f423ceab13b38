"""Small shared pieces: a page title, an inline message banner, a relevance meter."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QLayout,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

METER = Qt.ItemDataRole.UserRole + 7  # a float 0..1 a MeterDelegate draws as a bar


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


class Banner(QLabel):
    """An inline message above a view: information, or an error the user can act on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def info(self, text: str) -> None:
        self._show(text, "banner")

    def error(self, text: str) -> None:
        self._show(text, "errorBanner")

    def _show(self, text: str, name: str) -> None:
        self.setObjectName(name)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


def _paint_meter(painter: QPainter, rect: QRectF, fraction: float, palette: QPalette,
                 selected: bool = False) -> None:
    """A short rounded bar: the track in a quiet colour, `fraction` of it in the accent."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    radius = rect.height() / 2
    track = QColor(palette.color(QPalette.ColorRole.Mid))
    fill = QColor(palette.color(QPalette.ColorRole.HighlightedText if selected
                                else QPalette.ColorRole.Highlight))
    painter.setBrush(track)
    painter.drawRoundedRect(rect, radius, radius)
    if fraction > 0:
        done = QRectF(rect)
        done.setWidth(max(rect.height(), rect.width() * min(1.0, fraction)))
        painter.setBrush(fill)
        painter.drawRoundedRect(done, radius, radius)
    painter.restore()


class MeterDelegate(QStyledItemDelegate):
    """Draws the METER value of a cell as a small bar instead of a number."""

    WIDTH, HEIGHT = 64, 6

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        value = index.data(METER)
        if not isinstance(value, float):
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        r = option.rect
        width = min(self.WIDTH, r.width() - 16)
        bar = QRectF(r.left() + 8, r.center().y() - self.HEIGHT / 2 + 1, max(width, 8), self.HEIGHT)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        _paint_meter(painter, bar, value, option.palette, selected)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), self.WIDTH + 16), hint.height())


class Meter(QWidget):
    """The same bar as a widget (the detail pane's similarity)."""

    def __init__(self, fraction: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fraction = fraction
        self.setFixedSize(40, 12)

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        rect = QRectF(0, (self.height() - 6) / 2, self.width(), 6)
        _paint_meter(painter, rect, self.fraction, self.palette())
        painter.end()


def empty_state(text: str = "") -> QLabel:
    """A quiet centred message shown in place of an empty list."""
    label = QLabel(text)
    label.setObjectName("emptyState")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.hide()
    return label


def list_page(page: QWidget, head: QWidget | QLayout, intro: str, banner: Banner, body: QWidget,
              empty_text: str) -> QLabel:
    """Lay out a list page: its heading, a line saying what the page is, the banner, the
    list, and the message shown instead of an empty list (returned, hidden at first)."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(12, 10, 12, 8)
    layout.setSpacing(8)
    layout.addLayout(head) if isinstance(head, QLayout) else layout.addWidget(head)
    layout.addWidget(muted(intro))
    layout.addWidget(banner)
    layout.addWidget(body, 1)
    empty = empty_state(empty_text)
    layout.addWidget(empty, 1)
    return empty
