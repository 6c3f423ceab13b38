"""The Library page: search and filters over the item list, with the detail pane beside it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from ..catalog.textsearch import QueryError
from . import core
from .curator import Curator
from .detail_pane import DetailPane
from .item_list import ItemList
from .search_bar import SearchBar
from .signals import emit
from .tasks import Tasks
from .thumbnails import Thumbnails
from .widgets import Banner, muted, page_title

FIRST_PAGE = 400  # rows shown at once on launch; the rest follow in bigger pages
NEXT_PAGE = 4000


class LibraryPage(QWidget):
    itemsShown = Signal(int)  # the whole list (every page) is in
    firstItemsShown = Signal(int)  # the first page is on screen

    def __init__(self, tasks: Tasks, curator: Curator, thumbnails: Thumbnails,
                 item_actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.curator = tasks, curator
        self._generation = 0
        self.title = page_title(self.tr("Library"))
        self.status = muted()
        self.search = SearchBar()
        self.banner = Banner()
        self.items = ItemList(thumbnails)
        self.detail = DetailPane(tasks, curator, thumbnails, item_actions)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("librarySplitter")
        self.splitter.addWidget(self.items)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([640, 360])

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addWidget(self.search)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

        self.search.searchRequested.connect(self.reload)
        self.items.currentChanged.connect(self.detail.show_item)
        self.items.activated.connect(self.curator.open_file)
        self.detail.openItem.connect(self.reveal)

    # -- loading ---------------------------------------------------------------------
    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        if self.search.active():
            query, filters = self.search.query(), self.search.filters()
            self.status.setText(self.tr("Searching…"))
            self.tasks.read(lambda s: core.search(s, query, filters),
                            lambda r: self._searched(generation, r),
                            lambda exc: self._failed(generation, exc))
        else:
            self.tasks.read(lambda s: core.library_items(s, FIRST_PAGE),
                            lambda rows: self._page(generation, rows, 0, FIRST_PAGE),
                            lambda exc: self._failed(generation, exc))

    def _page(self, generation: int, rows: list[dict[str, Any]], offset: int, asked: int) -> None:
        if generation != self._generation:
            return
        if offset == 0:
            self.banner.clear_message()
            self.items.set_items(rows)
            if self.items.current_item() is None:
                self.items.select_first()
            emit(self.firstItemsShown, len(rows))
        else:
            self.items.append_items(rows)
        self._show_count()
        if len(rows) >= asked:  # more to come (hidden items make a page a little shorter)
            start = offset + asked
            self.tasks.read(lambda s: core.library_items(s, NEXT_PAGE, start),
                            lambda more: self._page(generation, more, start, NEXT_PAGE),
                            lambda exc: self._failed(generation, exc))
        else:
            emit(self.itemsShown, self.items.count())

    def _show_count(self) -> None:
        self.status.setText(self.tr("{0} items").format(self.items.count()))

    def _searched(self, generation: int, result: dict[str, Any]) -> None:
        if generation != self._generation:
            return
        self.items.set_items(result["items"], keep_selection=False)
        self.items.select_first()
        if not result["items"]:
            self.detail.show_item(None)
        count = len(result["items"])
        self.status.setText(self.tr("{0} results").format(count))
        if result.get("note"):
            self.banner.info(self.tr("Searched by words only: {0}").format(result["note"]))
        elif result["mode"] == "text" and not core.available()["search"]:
            self.banner.info(self.tr("Full-text search only: meaning-based search is not available "
                                     "in this build."))
        else:
            self.banner.clear_message()
        emit(self.itemsShown, count)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.status.clear()
        if isinstance(exc, QueryError):
            self.banner.error(str(exc))
        else:
            self.banner.error(self.curator.error_text(exc))

    def selected_items(self) -> list[dict[str, Any]]:
        return self.items.selected_items()

    # -- reacting --------------------------------------------------------------------
    def remove_ids(self, ids: set[int]) -> None:
        self.items.remove_ids(ids)
        self._show_count()

    def reveal(self, item_id: int) -> None:
        """Select an item, clearing the search when it is not in the current list."""
        if item_id not in self.items.model.ids():
            self.search.box.clear()
            self.reload()
            self._pending_reveal = item_id
            self.itemsShown.connect(self._reveal_later, Qt.ConnectionType.SingleShotConnection)
            return
        self.items.select_ids({item_id}, item_id)
        self.items.view().scrollTo(self.items.table.selectionModel().currentIndex())

    def _reveal_later(self, _count: int) -> None:
        self.items.select_ids({self._pending_reveal}, self._pending_reveal)
