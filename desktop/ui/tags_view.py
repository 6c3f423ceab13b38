"""The Tags page: the tag tree with counts, and suggestions waiting for review in bulk."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import core
from .curator import Curator
from .i18n import tag_label
from .tasks import Tasks
from .widgets import Banner, muted, page_title

TAG_ID = Qt.ItemDataRole.UserRole
PAIR = Qt.ItemDataRole.UserRole + 1


class TagsPage(QWidget):
    def __init__(self, tasks: Tasks, curator: Curator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.curator = tasks, curator
        self._filling = False
        self.tags: list[dict[str, Any]] = []
        self.banner = Banner()

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Tag"), self.tr("Items"), self.tr("Suggested"),
                                   self.tr("Model suggests")])
        self.tree.headerItem().setToolTip(3, self.tr("Let the model suggest this tag on other items"))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(48)
        self.tree.itemChanged.connect(self._learnable_toggled)
        self.tree.itemSelectionChanged.connect(self._tag_selected)

        self.new_button = QPushButton(self.tr("New tag…"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.merge_button = QPushButton(self.tr("Merge into…"))
        self.new_button.clicked.connect(self.new_tag)
        self.rename_button.clicked.connect(self.rename_tag)
        self.merge_button.clicked.connect(self.merge_tags)
        tag_buttons = QHBoxLayout()
        for button in (self.new_button, self.rename_button, self.merge_button):
            tag_buttons.addWidget(button)
        tag_buttons.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(muted(self.tr("Your tags and the topics Curio knows")))
        left_layout.addWidget(self.tree, 1)
        left_layout.addLayout(tag_buttons)

        self.suggestions = QTreeWidget()
        self.suggestions.setRootIsDecorated(False)
        self.suggestions.setHeaderLabels([self.tr("Item"), self.tr("Tag"), self.tr("Confidence"),
                                          self.tr("Source")])
        self.suggestions.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.suggestions.setAlternatingRowColors(True)
        self.suggestions.setSortingEnabled(True)
        header = self.suggestions.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.accept_button = QPushButton(self.tr("Accept selected"))
        self.reject_button = QPushButton(self.tr("Reject selected"))
        self.accept_button.clicked.connect(lambda: self._decide(True))
        self.reject_button.clicked.connect(lambda: self._decide(False))
        self.review_note = muted()
        review_buttons = QHBoxLayout()
        review_buttons.addWidget(self.review_note, 1)
        review_buttons.addWidget(self.accept_button)
        review_buttons.addWidget(self.reject_button)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(muted(self.tr("Suggestions waiting for review")))
        right_layout.addWidget(self.suggestions, 1)
        right_layout.addLayout(review_buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("tagsSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setSizes([420, 580])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(page_title(self.tr("Tags")))
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.curator.changed.connect(lambda what: what == "tags" and self.isVisible() and self.reload())

    # -- loading ---------------------------------------------------------------------
    def reload(self) -> None:
        self.tasks.read(core.tags_overview, self._loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.banner.error(self.curator.error_text(exc))
        self.splitter.setEnabled(not isinstance(exc, core.NotAvailable))

    def _loaded(self, data: dict[str, Any]) -> None:
        self.banner.clear_message()
        self.splitter.setEnabled(True)
        self.tags = data["tags"]
        selected = {i.data(0, TAG_ID) for i in self.tree.selectedItems()}
        self._filling = True
        self.tree.clear()
        nodes: dict[int, QTreeWidgetItem] = {}
        for tag in self.tags:  # parents come before their children
            parent = nodes.get(tag.get("parent_id"))
            node = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.tree)
            node.setText(0, tag_label(tag))
            node.setToolTip(0, tag_label(tag))
            node.setText(1, str(tag.get("accepted", 0)))
            node.setText(2, str(tag.get("suggested", 0)))
            node.setData(0, TAG_ID, tag["id"])
            node.setFlags(node.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            node.setCheckState(3, Qt.CheckState.Checked if tag.get("learnable") else Qt.CheckState.Unchecked)
            node.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            node.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
            node.setSelected(tag["id"] in selected)
            nodes[tag["id"]] = node
        self.tree.expandAll()
        self._filling = False
        self._fill_suggestions(data["pending"])

    def _fill_suggestions(self, pending: list[dict[str, Any]]) -> None:
        chosen = {i.data(0, TAG_ID) for i in self.tree.selectedItems()}
        self.suggestions.setSortingEnabled(False)
        self.suggestions.clear()
        for s in pending:
            if chosen and s["tag_id"] not in chosen:
                continue
            row = QTreeWidgetItem(self.suggestions)
            row.setText(0, s.get("title") or s.get("path") or "")
            row.setToolTip(0, s.get("path") or "")
            row.setText(1, tag_label(s))
            confidence = s.get("confidence")
            row.setText(2, f"{confidence:.0%}" if isinstance(confidence, float) else "")
            row.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.setText(3, self.source_text(s.get("source")))
            row.setData(0, PAIR, (s["item_id"], s["tag_id"]))
        self.suggestions.setSortingEnabled(True)
        count = self.suggestions.topLevelItemCount()
        self.review_note.setText(self.tr("{0} waiting").format(count) if count else
                                 self.tr("Nothing to review."))
        self._pending = pending

    def source_text(self, source: str | None) -> str:
        """Who suggested a tag, in words the user knows."""
        return {"rule": self.tr("Rule"), "taxonomy": self.tr("Topic model"),
                "learned": self.tr("Learned from your tags"),
                "user": self.tr("You")}.get(source or "", source or "")

    def _tag_selected(self) -> None:
        if not self._filling and hasattr(self, "_pending"):
            self._fill_suggestions(self._pending)

    # -- acting ----------------------------------------------------------------------
    def _decide(self, accept: bool) -> None:
        rows = self.suggestions.selectedItems()
        if not rows:
            self.banner.info(self.tr("Select suggestions first (Ctrl+A selects all)."))
            return
        self.curator.decide_many([r.data(0, PAIR) for r in rows], accept)

    def _learnable_toggled(self, node: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 3:
            return
        self.curator.set_learnable(node.data(0, TAG_ID), node.checkState(3) == Qt.CheckState.Checked)

    def _selected_tag(self) -> QTreeWidgetItem | None:
        items = self.tree.selectedItems()
        return items[0] if items else None

    def new_tag(self) -> None:
        parent = self._selected_tag()
        name, ok = QInputDialog.getText(self, self.tr("New tag"), self.tr("Name:"))
        if ok and name.strip():
            parent_id = None
            if parent is not None and QMessageBox.question(
                    self, self.tr("New tag"),
                    self.tr("Put “{0}” under “{1}”?").format(name.strip(), parent.text(0))
            ) == QMessageBox.StandardButton.Yes:
                parent_id = parent.data(0, TAG_ID)
            self.curator.create_tag(name.strip(), parent_id)

    def rename_tag(self) -> None:
        node = self._selected_tag()
        if node is None:
            return
        name, ok = QInputDialog.getText(self, self.tr("Rename tag"), self.tr("New name:"), text=node.text(0))
        if ok and name.strip():
            self.curator.rename_tag(node.data(0, TAG_ID), name.strip())

    def merge_tags(self) -> None:
        sources = self.tree.selectedItems()
        if not sources:
            return
        source_ids = {n.data(0, TAG_ID) for n in sources}
        targets = [t for t in self.tags if t["id"] not in source_ids]
        if not targets:
            return
        names = [tag_label(t) for t in targets]
        name, ok = QInputDialog.getItem(
            self, self.tr("Merge tags"),
            self.tr("Merge {0} tag(s) into:").format(len(source_ids)), names, 0, False)
        if ok:
            target = targets[names.index(name)]
            self.curator.merge_tags(sorted(source_ids), target["id"])
