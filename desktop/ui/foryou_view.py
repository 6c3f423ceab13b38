"""The For you page: recommendations with the reason for each, refreshed after feedback."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import core
from .curator import Curator
from .signals import emit
from .tasks import Tasks
from .thumbnails import badge, label_for
from .widgets import Banner, muted, page_title

ITEM = Qt.ItemDataRole.UserRole


class ForYouPage(QWidget):
    openItem = Signal(int)

    def __init__(self, tasks: Tasks, curator: Curator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.curator = tasks, curator
        self.context_actions: list = []
        self.banner = Banner()
        self.note = muted(self.tr("Picked from what you opened, liked and tagged. Like, dislike or "
                                  "hide items to steer it."))
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setHeaderLabels([self.tr("Item"), self.tr("Why"), self.tr("Score")])
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 380)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemActivated.connect(lambda row, _c: emit(self.openItem, row.data(0, ITEM)["id"]))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.reload)
        head = QHBoxLayout()
        head.addWidget(page_title(self.tr("For you")))
        head.addStretch(1)
        head.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addWidget(self.note)
        layout.addWidget(self.banner)
        layout.addWidget(self.list, 1)
        self.curator.changed.connect(self._changed)

    def _changed(self, what: str) -> None:
        if what in ("feedback", "hidden", "tags") and self.isVisible():
            self.reload()

    def reload(self) -> None:
        self.tasks.read(core.recommendations, self._loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.list.clear()
        self.banner.error(self.curator.error_text(exc))

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        self.banner.clear_message()
        self.list.clear()
        for rec in rows:
            row = QTreeWidgetItem(self.list)
            row.setText(0, rec.get("title") or rec.get("path") or "")
            row.setIcon(0, badge(label_for({"suffix": (rec.get("path") or "").rsplit(".", 1)[-1]
                                            if "." in (rec.get("path") or "") else "",
                                            "kind": rec.get("kind")}), 32))
            row.setToolTip(0, rec.get("path") or "")
            row.setText(1, rec.get("reason") or "")
            row.setToolTip(1, rec.get("reason") or "")
            score = rec.get("score")
            row.setText(2, f"{score:.2f}" if isinstance(score, float) else "")
            row.setData(0, ITEM, rec)
        if not rows:
            self.banner.info(self.tr("Nothing to recommend yet: open, like or tag a few items first."))

    def selected_items(self) -> list[dict[str, Any]]:
        return [row.data(0, ITEM) for row in self.list.selectedItems()]

    def _menu(self, pos) -> None:
        if not self.selected_items():
            return
        menu = QMenu(self)
        for action in self.context_actions:
            menu.addSeparator() if action is None else menu.addAction(action)
        menu.exec(self.list.viewport().mapToGlobal(pos))
