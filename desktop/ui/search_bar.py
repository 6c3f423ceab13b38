"""The search box and its filters (kind, tag, cluster, folder, date range)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .core import Filters
from .signals import emit
from .theme import icon


class SearchBar(QWidget):
    searchRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QLineEdit()
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText(self.tr('Search titles and text — "exact phrase", OR, -word, pre*'))
        self.box.setClearButtonEnabled(True)
        self.box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.filters_button = QToolButton()
        self.filters_button.setText(self.tr("Filters"))
        self.filters_button.setCheckable(True)

        self.kind = QComboBox()
        self.tag = QComboBox()
        self.cluster = QComboBox()
        self.folder = QComboBox()
        for combo in (self.kind, self.tag, self.cluster, self.folder):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMaximumWidth(220)
        self.use_from = QCheckBox(self.tr("From"))
        self.date_from = QDateEdit(QDate.currentDate().addYears(-1))
        self.use_to = QCheckBox(self.tr("to"))
        self.date_to = QDateEdit(QDate.currentDate())
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.set_choices({})

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.box, 1)
        top.addWidget(self.filters_button)
        self.filter_row = QWidget()
        row = QHBoxLayout(self.filter_row)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.kind, self.tag, self.cluster, self.folder, self.use_from, self.date_from,
                       self.use_to, self.date_to):
            row.addWidget(widget)
        row.addStretch(1)
        self.filter_row.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.filter_row)

        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.searchRequested)
        self.box.textEdited.connect(lambda _: self._debounce.start())
        self.box.returnPressed.connect(self._now)
        self.filters_button.toggled.connect(self.filter_row.setVisible)
        for combo in (self.kind, self.tag, self.cluster, self.folder):
            combo.currentIndexChanged.connect(self._now)
        for widget in (self.use_from, self.use_to):
            widget.toggled.connect(self._now)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _: self._now())

    def _now(self) -> None:
        self._debounce.stop()
        emit(self.searchRequested)

    @staticmethod
    def _fill(combo: QComboBox, everything: str, choices: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, value in choices:
            combo.addItem(text, value)
        found = combo.findData(current)
        combo.setCurrentIndex(max(0, found))
        combo.blockSignals(False)

    def set_choices(self, overview: dict[str, Any]) -> None:
        """Refill the filter menus from core.overview()."""
        kinds = overview.get("kinds", {})
        self._fill(self.kind, self.tr("All kinds"), [(f"{k} ({n})", k) for k, n in kinds.items() if k])
        tags = overview.get("tags", [])
        self._fill(self.tag, self.tr("Any tag"), [(t["name"], t["id"]) for t in tags])
        self.tag.setEnabled(bool(tags))
        clusters = overview.get("clusters", [])
        self._fill(self.cluster, self.tr("Any cluster"),
                   [(c.get("label") or str(c["id"]), c["id"]) for c in clusters])
        self.cluster.setEnabled(bool(clusters))
        roots = overview.get("roots", [])
        self._fill(self.folder, self.tr("All folders"), [(path, path) for _id, path in roots])

    def query(self) -> str:
        return self.box.text().strip()

    def filters(self) -> Filters:
        kind, tag, cluster = self.kind.currentData(), self.tag.currentData(), self.cluster.currentData()
        return Filters(
            kinds=[kind] if kind else [], tags=[tag] if tag is not None else [],
            date_from=self.date_from.date().toString("yyyy-MM-dd") if self.use_from.isChecked() else None,
            date_to=self.date_to.date().toString("yyyy-MM-dd") if self.use_to.isChecked() else None,
            cluster_id=cluster, folder=self.folder.currentData())

    def active(self) -> bool:
        return bool(self.query()) or not self.filters().empty()
