"""The detail pane: what Curio knows about the current item, and what can be done with it."""

from __future__ import annotations

import html
import os
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from . import core
from .curator import Curator
from .i18n import tag_label
from .item_model import human_size, item_date
from .signals import emit
from .tasks import Tasks
from .thumbnails import Thumbnails
from .widgets import Meter

MAX_KEYPHRASES = 8


def keyphrase_texts(phrases: list[Any] | None, limit: int = MAX_KEYPHRASES) -> list[str]:
    """Keyphrases as clean strings (stored as strings now, as {"text": ...} dicts before),
    without repeats that differ only in case or spacing."""
    out, seen = [], set()
    for phrase in phrases or []:
        if isinstance(phrase, dict):
            phrase = phrase.get("text") or phrase.get("phrase") or ""
        text = " ".join(str(phrase).split()).strip(" -–—·,;:")
        key = text.casefold()
        if text and key not in seen:
            seen.add(key)
            out.append(text)
        if len(out) >= limit:
            break
    return out


def closeness(entry: dict[str, Any]) -> float:
    """0..1: how close a related item is. Its z-score (how far it stands out from the
    library) when known, as embedders differ in how high their cosines run; else the cosine."""
    z = entry.get("z")
    if isinstance(z, (int, float)):
        return max(0.1, min(1.0, (float(z) - 1.0) / 9.0))
    score = entry.get("score")
    return max(0.1, min(1.0, float(score))) if isinstance(score, (int, float)) else 0.5


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
        self.summary = _label("", "summary")
        layout.addWidget(self.summary)
        self.keyphrases = _label("", "muted")
        layout.addWidget(self.keyphrases)

        layout.addWidget(_label(self.tr("Tags"), "sectionTitle"))
        self.tags_box = QVBoxLayout()
        self.tags_box.setSpacing(2)
        layout.addLayout(self.tags_box)

        self.duplicates_title = _label(self.tr("Duplicates of this item"), "sectionTitle")
        layout.addWidget(self.duplicates_title)
        self.duplicates_box = QVBoxLayout()
        self.duplicates_box.setSpacing(2)
        layout.addLayout(self.duplicates_box)

        layout.addWidget(_label(self.tr("You may also like"), "sectionTitle"))
        self.similar_box = QVBoxLayout()
        self.similar_box.setSpacing(0)
        layout.addLayout(self.similar_box)
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
        _clear(self.similar_box)
        _clear(self.duplicates_box)
        self.duplicates_title.hide()
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
            self.keyphrases.setText("  ·  ".join(keyphrase_texts(summary.get("keyphrases"))))
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
        name = _label(tag_label(tag), wrap=False)
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
        _clear(self.similar_box)
        _clear(self.duplicates_box)
        self.duplicates_title.setVisible(bool(duplicates))
        for entry in duplicates or []:
            self.duplicates_box.addWidget(self._related_row(entry, self.duplicate_reason(entry), None))
        if similar is None:
            self.similar_note.setText(self.tr("Similar items need the embedding model."))
            return
        for entry in similar:
            strength = closeness(entry)
            self.similar_box.addWidget(self._related_row(entry, self.closeness_word(strength), strength))
        if not similar:
            self.similar_note.setText(self.tr("Nothing close enough yet."))

    def closeness_word(self, strength: float) -> str:
        if strength >= 0.7:
            return self.tr("very close")
        if strength >= 0.35:
            return self.tr("close")
        return self.tr("related")

    def duplicate_reason(self, entry: dict[str, Any]) -> str:
        reason = entry.get("reason") or ""
        return {"the same file content": self.tr("same file"),
                "the same text": self.tr("same text"),
                "nearly the same text": self.tr("nearly the same text")}.get(reason, reason)

    def _related_row(self, entry: dict[str, Any], note: str, strength: float | None) -> QWidget:
        """One related item: its title (click to open it), and how close it is."""
        row = QFrame()
        row.setObjectName("relatedRow")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(2, 3, 2, 3)
        layout.setSpacing(8)
        text = entry.get("title") or os.path.basename(entry.get("path") or "")
        title = QLabel(f'<a href="open" style="text-decoration: none">{html.escape(text)}</a>')
        title.setObjectName("relatedTitle")
        title.setProperty("plainText", text)
        title.setWordWrap(True)
        title.setTextFormat(Qt.TextFormat.RichText)
        title.setToolTip(entry.get("path") or "")
        item_id = entry.get("id")
        title.linkActivated.connect(lambda _link: item_id is not None and emit(self.openItem, int(item_id)))
        layout.addWidget(title, 1)
        if strength is not None:
            layout.addWidget(Meter(strength))
        word = _label(note, "muted", wrap=False)
        word.setMinimumWidth(word.sizeHint().width())
        layout.addWidget(word)
        return row

    def related_titles(self) -> list[str]:
        """What "You may also like" lists now (for tests and accessibility checks)."""
        return self._titles(self.similar_box)

    def duplicate_titles(self) -> list[str]:
        return self._titles(self.duplicates_box)

    @staticmethod
    def _titles(box: QVBoxLayout) -> list[str]:
        out = []
        for i in range(box.count()):
            widget = box.itemAt(i).widget()
            label = widget.findChild(QLabel, "relatedTitle") if widget else None
            if label is not None:
                out.append(str(label.property("plainText")))
        return out
