"""The Duplicates page: groups of items that are the same or nearly the same."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from . import core
from .curator import Curator
from .item_model import human_size
from .signals import emit
from .tasks import Tasks
from .widgets import Banner, list_page, page_title

ITEM = Qt.ItemDataRole.UserRole


class DuplicatesPage(QWidget):
    openItem = Signal(int)

    def __init__(self, tasks: Tasks, curator: Curator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.curator = tasks, curator
        self.context_actions: list = []
        self.banner = Banner()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Item"), self.tr("Size"), self.tr("Folder")])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 480)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.empty = list_page(
            self, page_title(self.tr("Duplicates")),
            self.tr("Files with the same or nearly the same content. Curio never deletes files: "
                    "hide the copies you do not want to see."),
            self.banner, self.tree, self.tr("No duplicates found."))
        self.curator.changed.connect(lambda what: what == "hidden" and self.isVisible() and self.reload())

    def reload(self) -> None:
        self.tasks.read(core.duplicate_groups, self._loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.tree.clear()
        self.empty.hide()
        self.banner.error(self.curator.error_text(exc))

    def _loaded(self, groups: list[list[dict[str, Any]]]) -> None:
        self.banner.clear_message()
        self.tree.clear()
        for number, group in enumerate(groups, 1):
            head = QTreeWidgetItem(self.tree, [self.tr("Group {0}: {1} copies").format(number, len(group))])
            head.setFirstColumnSpanned(True)
            head.setFlags(head.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for item in group:
                row = QTreeWidgetItem(head, [item.get("title") or item.get("name") or "",
                                             human_size(item.get("size")),
                                             os.path.dirname(item.get("path") or "")])
                row.setToolTip(0, item.get("path") or "")
                row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                row.setData(0, ITEM, item)
        self.tree.expandAll()
        self.tree.setVisible(bool(groups))
        self.empty.setVisible(not groups)

    def _activated(self, row: QTreeWidgetItem, _column: int) -> None:
        item = row.data(0, ITEM)
        if item:
            emit(self.openItem, item["id"])

    def selected_items(self) -> list[dict[str, Any]]:
        return [r.data(0, ITEM) for r in self.tree.selectedItems() if r.data(0, ITEM)]

    def _menu(self, pos) -> None:
        if not self.selected_items():
            return
        menu = QMenu(self)
        for action in self.context_actions:
            menu.addSeparator() if action is None else menu.addAction(action)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
