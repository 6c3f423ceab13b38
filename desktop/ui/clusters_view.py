"""The Clusters page: clusters with labels and sizes, the map, and their members."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import core
from .cluster_map import ClusterMap, cluster_colour
from .curator import Curator
from .item_list import ItemList
from .item_model import ItemRole
from .signals import emit
from .tasks import Tasks
from .thumbnails import Thumbnails
from .widgets import Banner, muted, page_title

CLUSTER_ID = Qt.ItemDataRole.UserRole


class ClustersPage(QWidget):
    openItem = Signal(int)

    def __init__(self, tasks: Tasks, curator: Curator, thumbnails: Thumbnails,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.curator = tasks, curator
        self.points: list[dict[str, Any]] = []
        self._generation = 0
        self.banner = Banner()

        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([self.tr("Cluster"), self.tr("Items")])
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.list.setMinimumWidth(220)
        self.list.currentItemChanged.connect(self._cluster_chosen)

        self.map = ClusterMap()
        self.map.selectionChanged.connect(self._map_selected)
        self.map.itemActivated.connect(self.openItem)

        self.members = ItemList(thumbnails)
        self.members.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.members.activated.connect(lambda item: emit(self.openItem, item["id"]))
        self.members_note = muted()

        self.rebuild_button = QPushButton(self.tr("Rebuild clusters"))
        self.rebuild_button.clicked.connect(self._rebuild)
        self.tag_button = QPushButton(self.tr("Tag selection…"))
        self.tag_button.clicked.connect(self.tag_selection)
        self.tag_button.setEnabled(False)
        self._syncing = False
        self.members.selectionChanged.connect(self._members_selected)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.rebuild_button)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.members_note, 1)
        head.addWidget(self.tag_button)
        right_layout.addLayout(head)
        right_layout.addWidget(self.members, 1)

        self.inner = QSplitter(Qt.Orientation.Vertical)
        self.inner.setObjectName("clustersInnerSplitter")
        self.inner.addWidget(self.map)
        self.inner.addWidget(right)
        self.inner.setSizes([420, 260])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("clustersSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.inner)
        self.splitter.setSizes([260, 740])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(page_title(self.tr("Clusters")))
        layout.addWidget(muted(self.tr("Drag on the map to select many items, then tag them at once. "
                                       "Double-click a dot to open it in the library.")))
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.curator.changed.connect(
            lambda what: what == "clusters" and self.isVisible() and self.reload())

    # -- loading ---------------------------------------------------------------------
    def reload(self) -> None:
        self.tasks.read(core.clusters_overview, self._loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.banner.error(self.curator.error_text(exc))
        self.splitter.setEnabled(not isinstance(exc, core.NotAvailable))

    def _loaded(self, data: dict[str, Any]) -> None:
        self.banner.clear_message()
        self.splitter.setEnabled(True)
        current = self.list.currentItem().data(0, CLUSTER_ID) if self.list.currentItem() else None
        self.list.blockSignals(True)
        self.list.clear()
        everything = QTreeWidgetItem(self.list, [self.tr("All items"), str(len(data["points"]))])
        everything.setData(0, CLUSTER_ID, None)
        everything.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
        for cluster in data["clusters"]:
            row = QTreeWidgetItem(self.list, [cluster.get("label") or str(cluster["id"]),
                                              str(cluster.get("size", ""))])
            row.setData(0, CLUSTER_ID, cluster["id"])
            row.setIcon(0, self._swatch(cluster["id"]))
            row.setToolTip(0, ", ".join(cluster.get("terms") or []) if isinstance(
                cluster.get("terms"), list) else "")
            row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            if cluster["id"] == current:
                self.list.setCurrentItem(row)
        self.list.blockSignals(False)
        self.points = data["points"]
        self.map.set_points(self.points)
        if not data["clusters"]:
            self.banner.info(self.tr("No clusters yet. They are built after the library's "
                                     "embeddings; press “Rebuild clusters” to build them now."))
        if self.list.currentItem() is None:
            self.list.setCurrentItem(everything)
        else:
            self._cluster_chosen(self.list.currentItem(), None)

    def _swatch(self, cluster_id: int):
        from PySide6.QtGui import QIcon, QPixmap

        pix = QPixmap(12, 12)
        pix.fill(cluster_colour(cluster_id))
        return QIcon(pix)

    # -- choosing --------------------------------------------------------------------
    def open_cluster(self, cluster_id: int | None) -> None:
        """Show one cluster's members (None: everything) and highlight it on the map."""
        self._generation += 1
        generation = self._generation
        self.map.set_highlight(cluster_id)
        if cluster_id is None:
            ids = {p["id"] for p in self.points}
            self.tasks.read(lambda s: [i for i in (s.item(x) for x in sorted(ids)) if i],
                            lambda rows: self._members(generation, rows, None), self.curator.fail)
        else:
            self.tasks.read(lambda s: core.cluster_members(s, cluster_id),
                            lambda rows: self._members(generation, rows, cluster_id), self.curator.fail)

    def _cluster_chosen(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None:
            self.open_cluster(current.data(0, CLUSTER_ID))

    def _members(self, generation: int, rows: list[dict[str, Any]], cluster_id: int | None) -> None:
        if generation != self._generation:
            return
        self.members.set_items(rows, keep_selection=False)
        self.members_note.setText(self.tr("{0} items").format(len(rows)))
        self.map.selected = set()
        self.map.update()

    def _members_selected(self) -> None:
        if not self._syncing:  # a click in the list shows where those items are on the map
            rows = self.members.table.selectionModel().selectedRows()
            self.map.selected = {self.members.proxy.data(r, ItemRole)["id"] for r in rows}
            self.map.update()
        self.tag_button.setEnabled(bool(self.selected_ids()))

    def _map_selected(self, ids: list[int]) -> None:
        self._syncing = True
        self.members.select_ids(set(ids))
        self._syncing = False
        if ids and not self.members.selected_items():
            # The selection spans clusters: list exactly the selected items.
            self.tasks.read(lambda s: [i for i in (s.item(x) for x in ids) if i],
                            lambda rows: self._show_selection(rows, ids))
        self.members_note.setText(self.tr("{0} selected on the map").format(len(ids)) if ids
                                  else self.tr("{0} items").format(self.members.count()))
        self.tag_button.setEnabled(bool(ids))

    def selected_ids(self) -> list[int]:
        return sorted(self.map.selected)

    def _show_selection(self, rows: list[dict[str, Any]], ids: list[int]) -> None:
        self._syncing = True
        self.members.set_items(rows, keep_selection=False)
        self.members.select_ids(set(ids))
        self._syncing = False

    def selected_items(self) -> list[dict[str, Any]]:
        return self.members.selected_items()

    def tag_selection(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        name, ok = QInputDialog.getText(self, self.tr("Tag selection"),
                                        self.tr("Tag {0} item(s) with:").format(len(ids)))
        if ok and name.strip():
            self.curator.apply_tag(ids, name.strip())

    def _rebuild(self) -> None:
        self.banner.info(self.tr("Building clusters…"))
        self.curator.build_clusters()
