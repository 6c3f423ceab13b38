"""A table model over fetched item rows (dicts from the core), shared by table and grid."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from .signals import emit
from .thumbnails import Thumbnails, badge_icon, label_for

ItemRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
IdRole = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return ""


def item_date(item: dict[str, Any]) -> str:
    return (item.get("created") or item.get("modified") or "")[:10]


class ItemModel(QAbstractTableModel):
    TITLE, KIND, CREATOR, DATE, SIZE, FOLDER, SCORE = range(7)

    def __init__(self, thumbnails: Thumbnails | None = None, parent=None, show_score: bool = False) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.thumbnails = thumbnails
        self.show_score = show_score
        self._row_of_thumb: dict[str, list[int]] = {}
        if thumbnails is not None:
            thumbnails.loaded.connect(self._thumbnail_loaded)

    def headers(self) -> list[str]:
        names = [self.tr("Title"), self.tr("Kind"), self.tr("Author"), self.tr("Date"),
                 self.tr("Size"), self.tr("Folder")]
        if self.show_score:
            names.append(self.tr("Score"))
        return names

    # -- contents --------------------------------------------------------------------
    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._reindex_thumbs()
        self.endResetModel()

    def append_rows(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        start = len(self.rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self.rows.extend(rows)
        self._reindex_thumbs(start)
        self.endInsertRows()

    def remove_ids(self, ids: set[int]) -> None:
        for row in range(len(self.rows) - 1, -1, -1):
            if self.rows[row]["id"] in ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.rows[row]
                self.endRemoveRows()
        self._reindex_thumbs()

    def ids(self) -> list[int]:
        return [r["id"] for r in self.rows]

    def _reindex_thumbs(self, start: int = 0) -> None:
        if start == 0:
            self._row_of_thumb = {}
        for row in range(start, len(self.rows)):
            thumb = self.rows[row].get("thumbnail")
            if thumb:
                self._row_of_thumb.setdefault(thumb, []).append(row)

    def _thumbnail_loaded(self, path: str) -> None:
        for row in self._row_of_thumb.get(path, []):
            index = self.index(row, 0)
            emit(self.dataChanged, index, index, [Qt.ItemDataRole.DecorationRole])

    # -- Qt model --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else (7 if self.show_score else 6)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            return headers[section] if section < len(headers) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        item = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == SortRole:
            return self._sort_key(item, column)
        if role == ItemRole:
            return item
        if role == IdRole:
            return item["id"]
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.get("path")
        if role == Qt.ItemDataRole.DecorationRole and column == self.TITLE:
            # An icon, not a pixmap: views scale icons to their icon size (table 22, grid 112).
            thumb = self.thumbnails.icon(item.get("thumbnail")) if self.thumbnails else None
            return thumb if thumb is not None else badge_icon(label_for(item))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.SIZE, self.SCORE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: dict[str, Any], column: int) -> str:
        if column == self.TITLE:
            return item.get("title") or item.get("name") or ""
        if column == self.KIND:
            return item.get("kind") or ""
        if column == self.CREATOR:
            return item.get("creator") or ""
        if column == self.DATE:
            return item_date(item)
        if column == self.SIZE:
            return human_size(item.get("size"))
        if column == self.FOLDER:
            return os.path.basename(os.path.dirname(item.get("path") or ""))
        if column == self.SCORE:
            score = item.get("score")
            return f"{score:.3f}" if isinstance(score, float) else ""
        return ""

    def _sort_key(self, item: dict[str, Any], column: int) -> Any:
        if column == self.SIZE:
            return item.get("size") or 0
        if column == self.SCORE:
            return item.get("score") or 0.0
        return self._display(item, column).casefold()


class ItemProxy(QSortFilterProxyModel):
    """Sorting by raw values (sizes as numbers), keeping the model's order until asked."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
