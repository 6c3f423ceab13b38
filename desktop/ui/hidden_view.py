"""The Hidden page: the items the user hid, and a way to show them again."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from . import core
from .curator import Curator
from .item_list import ItemList
from .signals import emit
from .tasks import Tasks
from .thumbnails import Thumbnails
from .widgets import Banner, list_page, muted, page_title


class HiddenPage(QWidget):
    openItem = Signal(int)
    loaded = Signal(int)  # how many hidden items are listed

    def __init__(self, tasks: Tasks, curator: Curator, thumbnails: Thumbnails,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.curator = tasks, curator
        self._generation = 0
        self.banner = Banner()
        self.items = ItemList(thumbnails)
        self.show_button = QPushButton(self.tr("Show Again"))
        self.show_button.setToolTip(self.tr("Show the selected items in every view again"))
        self.show_button.clicked.connect(self.unhide_selected)
        self.count_label = muted()
        head = QHBoxLayout()
        head.addWidget(page_title(self.tr("Hidden")))
        head.addStretch(1)
        head.addWidget(self.count_label)
        head.addWidget(self.show_button)
        self.empty = list_page(
            self, head,
            self.tr("Items you hid (Delete) stay out of the library, search, similar items and "
                    "recommendations until you show them again."),
            self.banner, self.items, self.tr("Nothing is hidden."))
        self.items.selectionChanged.connect(self._update_button)
        self.items.activated.connect(lambda item: emit(self.openItem, item["id"]))
        self.curator.changed.connect(lambda what: what == "hidden" and self.isVisible() and self.reload())
        self._update_button()

    def set_actions(self, unhide_action: QAction, context_actions: list) -> None:
        self.items.context_actions = [unhide_action, None, *[a for a in context_actions
                                                             if a is not None]]

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        self.tasks.read(core.hidden_items, lambda rows: self._loaded(generation, rows),
                        lambda exc: self.banner.error(self.curator.error_text(exc)))

    def _loaded(self, generation: int, rows: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        self.banner.clear_message()
        self.items.set_items(rows)
        self.items.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.count_label.setText(self.tr("{0} hidden").format(len(rows)) if rows else "")
        self._update_button()
        emit(self.loaded, len(rows))

    def selected_items(self) -> list[dict[str, Any]]:
        return self.items.selected_items() if self.items.count() else []

    def unhide_selected(self) -> None:
        ids = [i["id"] for i in self.selected_items()]
        if ids:
            self.items.remove_ids(set(ids))  # at once; the writer confirms behind
            self.curator.unhide(ids)

    def _update_button(self) -> None:
        self.show_button.setEnabled(bool(self.selected_items()))
