"""The item list: one model shown as a sortable table or a thumbnail grid, multi-select."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListView,
    QMenu,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .item_model import ItemModel, ItemProxy, ItemRole
from .signals import emit
from .thumbnails import Thumbnails


class ItemList(QWidget):
    """Emits currentChanged(item or None) and activated(item); actions feed the context menu."""

    currentChanged = Signal(object)
    selectionChanged = Signal()
    activated = Signal(object)

    TABLE, GRID = 0, 1

    def __init__(self, thumbnails: Thumbnails | None, parent: QWidget | None = None,
                 show_score: bool = False) -> None:
        super().__init__(parent)
        self.model = ItemModel(thumbnails, self, show_score=show_score)
        self.proxy = ItemProxy(self)
        self.proxy.setSourceModel(self.model)
        self.context_actions: list = []

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # model order until a header click
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setIconSize(QSize(22, 22))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.table.setColumnWidth(0, 290)  # leaves Size in view beside the detail pane
        for column, width in ((1, 80), (2, 120), (3, 90), (4, 72)):
            self.table.setColumnWidth(column, width)

        self.grid = QListView()
        self.grid.setModel(self.proxy)
        self.grid.setSelectionModel(self.table.selectionModel())  # one selection for both views
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setIconSize(QSize(112, 112))
        self.grid.setGridSize(QSize(150, 182))
        self.grid.setSpacing(8)
        self.grid.setUniformItemSizes(True)
        self.grid.setWordWrap(True)
        self.grid.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.grid)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._current_changed)
        selection.selectionChanged.connect(lambda *_: emit(self.selectionChanged))
        for view in (self.table, self.grid):
            view.doubleClicked.connect(self._activated)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(self._context_menu)

    # -- views -----------------------------------------------------------------------
    def set_mode(self, mode: int) -> None:
        self.stack.setCurrentIndex(mode)

    def mode(self) -> int:
        return self.stack.currentIndex()

    def view(self) -> QAbstractItemView:
        return self.grid if self.mode() == self.GRID else self.table

    # -- contents --------------------------------------------------------------------
    def set_items(self, items: list[dict[str, Any]], keep_selection: bool = True) -> None:
        current = self.current_item()
        selected = {i["id"] for i in self.selected_items()} if keep_selection else set()
        self.model.set_rows(items)
        if keep_selection and (selected or current):
            self.select_ids(selected, current["id"] if current else None)

    def append_items(self, items: list[dict[str, Any]]) -> None:
        self.model.append_rows(items)

    def remove_ids(self, ids: set[int]) -> None:
        self.model.remove_ids(ids)

    def count(self) -> int:
        return self.model.rowCount()

    def select_ids(self, ids: set[int], current: int | None = None) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            item_id = index.data(ItemRole)["id"]
            if item_id in ids:
                selection.select(index, flags)
            if item_id == current:
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def current_item(self) -> dict[str, Any] | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(ItemRole) if index.isValid() else None

    def selected_items(self) -> list[dict[str, Any]]:
        rows = self.table.selectionModel().selectedRows()
        items = [index.data(ItemRole) for index in sorted(rows, key=QModelIndex.row)]
        if not items and self.current_item():
            items = [self.current_item()]
        return items

    # -- signals ---------------------------------------------------------------------
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        emit(self.currentChanged, current.data(ItemRole) if current.isValid() else None)

    def _activated(self, index: QModelIndex) -> None:
        emit(self.activated, index.data(ItemRole))

    def _context_menu(self, pos) -> None:
        if not self.context_actions or not self.selected_items():
            return
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.view().viewport().mapToGlobal(pos))
