"""The detail pane: what Curio knows about the current item, and what can be done with it."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from . import core
from .curator import Curator
from .item_model import human_size, item_date
from .signals import emit
from .tasks import Tasks
from .thumbnails import Thumbnails


def _label(text: str = "", name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _clear(layout) -> None:
    while layout.count():
        child = layout.takeAt(0)
        if child.widget():
            child.widget().deleteLater()
        elif child.layout():
            _clear(child.layout())


class DetailPane(QScrollArea):
    openItem = Signal(int)  # a "You may also like" entry was chosen

    def __init__(self, tasks: Tasks, curator: Curator, thumbnails: Thumbnails,
                 item_actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail")
        self.tasks, self.curator, self.thumbnails = tasks, curator, thumbnails
        self.item: dict[str, Any] | None = None
        self._generation = 0
        self.setWidgetResizable(True)
        self.setMinimumWidth(280)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        body = QWidget()
        self.setWidget(body)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(14, 12, 14, 12)
        outer.setSpacing(6)

        self.empty = _label(self.tr("Select an item to see its details."), "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.empty)

        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        outer.addWidget(self.content)
        outer.addStretch(1)

        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.picture)
        self.title = _label("", "detailTitle")
        layout.addWidget(self.title)

        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for action in item_actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setAutoRaise(True)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.clicked.connect(lambda: self.item and self.curator.open_file(self.item))
        self.folder_button = QPushButton(self.tr("Show in folder"))
        self.folder_button.clicked.connect(lambda: self.item and self.curator.show_in_folder(self.item))
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.folder_button)
        layout.addLayout(buttons)

        self.meta = QFormLayout()
        self.meta.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.meta.setHorizontalSpacing(12)
        self.meta.setVerticalSpacing(3)
        layout.addLayout(self.meta)

        layout.addWidget(_label(self.tr("Summary"), "sectionTitle"))
        self.summary = _label()
        layout.addWidget(self.summary)
        self.keyphrases = _label("", "muted")
        layout.addWidget(self.keyphrases)

        layout.addWidget(_label(self.tr("Tags"), "sectionTitle"))
        self.tags_box = QVBoxLayout()
        self.tags_box.setSpacing(2)
        layout.addLayout(self.tags_box)

        layout.addWidget(_label(self.tr("You may also like"), "sectionTitle"))
        self.similar = QListWidget()
        self.similar.setMinimumHeight(120)
        self.similar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.similar.itemActivated.connect(self._similar_chosen)
        self.similar.itemClicked.connect(self._similar_chosen)
        layout.addWidget(self.similar)
        self.similar_note = _label("", "muted")
        layout.addWidget(self.similar_note)
        self.notes = _label("", "muted")
        layout.addWidget(self.notes)
        self.show_item(None)

    # -- filling ---------------------------------------------------------------------
    def show_item(self, item: dict[str, Any] | None) -> None:
        self.item = item
        self._generation += 1
        self.empty.setVisible(item is None)
        self.content.setVisible(item is not None)
        if item is None:
            return
        self.title.setText(item.get("title") or item.get("name") or "")
        self._fill_meta(item)
        thumb = self.thumbnails.get(item.get("thumbnail"))
        self.picture.setVisible(thumb is not None)
        if thumb is not None:
            self.picture.setPixmap(thumb)
        self.summary.setText(self.tr("Loading…"))
        self.keyphrases.clear()
        _clear(self.tags_box)
        self.similar.clear()
        self.similar_note.clear()
        self.notes.clear()
        generation = self._generation
        self.tasks.read(lambda s: core.item_detail(s, item["id"]),
                        lambda d: self._filled(generation, d),
                        lambda exc: self._failed(generation, exc))

    def refresh(self) -> None:
        if self.item is not None:
            self.show_item(self.item)

    def _fill_meta(self, item: dict[str, Any]) -> None:
        _clear(self.meta)
        rows = [
            (self.tr("Kind"), item.get("kind")),
            (self.tr("Author"), item.get("creator")),
            (self.tr("Date"), item_date(item)),
            (self.tr("Language"), item.get("language")),
            (self.tr("Pages"), item.get("pages")),
            (self.tr("Duration"), f"{item['duration']:.0f} s" if item.get("duration") else None),
            (self.tr("Size"), human_size(item.get("size"))),
            (self.tr("Dimensions"), f"{item['width']} × {item['height']}" if item.get("width") else None),
            (self.tr("Keywords"), ", ".join(item.get("keywords") or [])),
            (self.tr("File"), os.path.basename(item.get("path") or "")),
            (self.tr("Folder"), os.path.dirname(item.get("path") or "")),
        ]
        for name, value in rows:
            if value not in (None, "", 0):
                label = _label(str(value))
                label.setToolTip(str(value))
                self.meta.addRow(_label(name, "muted", wrap=False), label)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.summary.setText("")
            self.notes.setText(self.curator.error_text(exc))

    def _filled(self, generation: int, detail: dict[str, Any]) -> None:
        if generation != self._generation:
            return  # the user has moved on to another item
        summary = detail.get("summary")
        if summary and summary.get("summary"):
            self.summary.setText(summary["summary"])
            phrases = summary.get("keyphrases") or []
            self.keyphrases.setText(" · ".join(str(p) for p in phrases[:10]))
        else:
            self.summary.setText(self.tr("No summary yet."))
        self._fill_tags(detail.get("tags"))
        self._fill_similar(detail.get("similar"), detail.get("duplicates"))
        if detail.get("errors"):
            self.notes.setText("\n".join(detail["errors"]))

    def _fill_tags(self, tags: list[dict[str, Any]] | None) -> None:
        _clear(self.tags_box)
        if tags is None:
            self.tags_box.addWidget(_label(self.tr("Tags are not available in this build."), "muted"))
            return
        shown = [t for t in tags if t.get("state") in ("accepted", "suggested")]
        if not shown:
            self.tags_box.addWidget(_label(self.tr("No tags yet."), "muted"))
        for tag in sorted(shown, key=lambda t: (t["state"] != "accepted", -(t.get("confidence") or 0))):
            self.tags_box.addWidget(self._tag_row(tag))

    def _tag_row(self, tag: dict[str, Any]) -> QWidget:
        row = QFrame()
        row.setObjectName("chip")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(8, 2, 4, 2)
        name = _label(tag["name"], wrap=False)
        layout.addWidget(name)
        confidence = tag.get("confidence")
        state = self.tr("accepted") if tag["state"] == "accepted" else self.tr("suggested")
        extra = f"{state} · {confidence:.0%}" if isinstance(confidence, float) else state
        layout.addWidget(_label(extra, "muted", wrap=False))
        layout.addStretch(1)
        item_id = self.item["id"] if self.item else None
        if tag["state"] == "suggested":
            accept = QToolButton()
            accept.setText("✓")
            accept.setToolTip(self.tr("Accept this tag"))
            accept.clicked.connect(lambda: self.curator.decide([item_id], tag["tag_id"], True))
            layout.addWidget(accept)
        reject = QToolButton()
        reject.setText("✕")
        reject.setToolTip(self.tr("Reject this tag (it will not be suggested again)"))
        reject.clicked.connect(lambda: self.curator.decide([item_id], tag["tag_id"], False))
        layout.addWidget(reject)
        return row

    def _fill_similar(self, similar: list | None, duplicates: list | None) -> None:
        self.similar.clear()
        if similar is None:
            self.similar.hide()
            self.similar_note.setText(self.tr("Similar items need the embedding model."))
            return
        self.similar.show()
        for entry in duplicates or []:
            text = self.tr("Duplicate: {0}").format(entry.get("title") or entry.get("path"))
            self._similar_entry(text, entry)
        for entry in similar:
            score = entry.get("score")
            text = entry.get("title") or entry.get("path") or ""
            if isinstance(score, float):
                text += f"  ({score:.2f})"
            self._similar_entry(text, entry)
        if not similar and not duplicates:
            self.similar.hide()
            self.similar_note.setText(self.tr("Nothing close enough yet."))

    def _similar_entry(self, text: str, entry: dict[str, Any]) -> None:
        row = QListWidgetItem(text)
        row.setData(Qt.ItemDataRole.UserRole, entry.get("id"))
        row.setToolTip(entry.get("path") or "")
        self.similar.addItem(row)

    def _similar_chosen(self, row: QListWidgetItem) -> None:
        item_id = row.data(Qt.ItemDataRole.UserRole)
        if item_id is not None:
            emit(self.openItem, int(item_id))
