"""The For you page: recommendations with the reason for each, refreshed after feedback."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
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
from .i18n import tag_label
from .signals import emit
from .tasks import Tasks
from .thumbnails import badge, label_for
from .widgets import METER, Banner, MeterDelegate, muted, page_title

ITEM = Qt.ItemDataRole.UserRole
# A row on screen this long was shown (an impression); a list replaced sooner was not seen.
SHOWN_AFTER_MS = 1500


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
        self.list.setHeaderLabels([self.tr("Item"), self.tr("Why"), self.tr("Relevance")])
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setItemDelegateForColumn(2, MeterDelegate(self.list))
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 420)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 96)
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
        layout.addStretch(0)  # takes the room when the list is hidden (nothing to show)
        self.curator.changed.connect(self._changed)
        # Impressions: rows on screen are recorded once per visit of the page ("shown"), and
        # For you reads one passed over as a weak dislike.
        self._noted: set[int] = set()
        self._shown_timer = QTimer(self)
        self._shown_timer.setSingleShot(True)
        self._shown_timer.setInterval(SHOWN_AFTER_MS)
        self._shown_timer.timeout.connect(self._note_shown)
        self.list.verticalScrollBar().valueChanged.connect(lambda _v: self._shown_timer.start())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():  # the user came to the page (not a window restored)
            self._noted.clear()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._shown_timer.stop()

    def _note_shown(self) -> None:
        if not self.isVisible():
            return
        viewport = self.list.viewport().rect()
        ids = []
        for i in range(self.list.topLevelItemCount()):
            row = self.list.topLevelItem(i)
            item_id = row.data(0, ITEM)["id"]
            if item_id not in self._noted and viewport.intersects(self.list.visualItemRect(row)):
                ids.append(item_id)
        if ids:
            self._noted.update(ids)
            self.curator.shown(ids)

    def _changed(self, what: str) -> None:
        if what in ("feedback", "hidden", "tags") and self.isVisible():
            self.reload()

    def reload(self) -> None:
        self.tasks.read(core.recommendations, self._loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.list.clear()
        self.list.hide()
        self.banner.error(self.curator.error_text(exc))

    def reason(self, rec: dict[str, Any]) -> str:
        """Why an item is recommended, in the UI's language."""
        because = rec.get("because") or core.explain(rec)
        kind, subject = because.get("kind"), because.get("subject") or ""
        if kind == "liked":
            return self.tr("Because you liked “{0}”").format(subject)
        if kind == "tag":
            name = tag_label({"taxonomy_id": because.get("taxonomy_id")}, subject)
            return self.tr("Tagged “{0}”, like items you liked").format(name)
        if kind == "co":
            return self.tr("Often opened together with “{0}”").format(subject)
        if kind == "cluster":
            return self.tr("From a topic you read: {0}").format(subject)
        if kind == "explore":
            return self.tr("Something different: {0}").format(subject)
        if kind == "start":
            return (self.tr("To get you started: {0}").format(subject) if subject
                    else self.tr("Something different to start with"))
        return subject

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        self.banner.clear_message()
        self.list.clear()
        for rec in rows:
            row = QTreeWidgetItem(self.list)
            path = rec.get("path") or ""
            row.setText(0, rec.get("title") or path)
            row.setIcon(0, badge(label_for({"suffix": path.rsplit(".", 1)[-1] if "." in path else "",
                                            "kind": rec.get("kind")}), 32))
            row.setToolTip(0, path)
            reason = self.reason(rec)
            row.setText(1, reason)
            row.setToolTip(1, reason)
            relevance = rec.get("relevance")
            if isinstance(relevance, float):
                row.setData(2, METER, relevance)
                row.setToolTip(2, self.tr("How well it matches what you like, relative to the "
                                          "best match shown"))
            row.setData(0, ITEM, rec)
        self.list.setVisible(bool(rows))
        if rows:
            self._shown_timer.start()
        else:
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
