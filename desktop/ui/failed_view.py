"""The Failed files page: files Curio could not read, and why."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from .curator import Curator
from .tasks import Tasks
from .widgets import Banner, list_page, page_title


class FailedPage(QWidget):
    def __init__(self, tasks: Tasks, curator: Curator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.curator = tasks, curator
        self.banner = Banner()
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels([self.tr("File"), self.tr("Reason")])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 420)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.empty = list_page(
            self, page_title(self.tr("Failed files")),
            self.tr("These files could not be read. Curio tries them again when they change."),
            self.banner, self.tree, self.tr("Every file was read."))

    def reload(self) -> None:
        self.tasks.read(lambda s: s.failures(), self._loaded,
                        lambda exc: self.banner.error(self.curator.error_text(exc)))

    def _loaded(self, failures: list[dict[str, Any]]) -> None:
        self.banner.clear_message()
        self.tree.clear()
        for failure in failures:
            row = QTreeWidgetItem(self.tree, [failure["path"], failure.get("error") or ""])
            row.setToolTip(0, failure["path"])
            row.setToolTip(1, failure.get("error") or "")
            row.setData(0, Qt.ItemDataRole.UserRole, failure)
        self.tree.setVisible(bool(failures))
        self.empty.setVisible(not failures)

    def selected_items(self) -> list[dict[str, Any]]:
        return []  # failed files are not items one can like or hide

    def _menu(self, pos) -> None:
        rows = self.tree.selectedItems()
        if not rows:
            return
        menu = QMenu(self)
        copy = menu.addAction(self.tr("Copy path"))
        show = menu.addAction(self.tr("Show in folder"))
        chosen = menu.exec(self.tree.viewport().mapToGlobal(pos))
        failure = rows[0].data(0, Qt.ItemDataRole.UserRole)
        if chosen is copy:
            QGuiApplication.clipboard().setText("\n".join(r.text(0) for r in rows))
        elif chosen is show:
            self.curator.show_in_folder(failure)
