"""The user's curation acts (feedback, tag decisions, tag edits) sent to the writer.

Views call these and listen to `changed` to refresh; errors come back as `message`
so the window can show them in the status bar instead of crashing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from ..catalog.store import Store
from ..curation.hidden import Change, UndoStack
from . import core
from .signals import emit
from .tasks import Tasks

MIN_DWELL_S = 2.0
MAX_DWELL_S = 600.0  # a Quick Look left open during a break is not ten hours of reading


class Curator(QObject):
    changed = Signal(str)  # what changed: "feedback", "hidden", "tags", "clusters", "library"
    message = Signal(str, bool)  # text for the user, True when it is an error
    undoChanged = Signal(str)  # what Undo would undo now, for its label; "" when nothing
    shownAgain = Signal(list)  # ids that are visible again (unhidden, or a hide undone)

    def __init__(self, tasks: Tasks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.undo_stack = UndoStack()

    def error_text(self, exc: BaseException) -> str:
        if isinstance(exc, core.NotAvailable):
            return self.tr("Not available in this build: {0}").format(exc.args[0])
        return str(exc) or exc.__class__.__name__

    def fail(self, exc: BaseException) -> None:
        emit(self.message, self.error_text(exc), True)

    def _write(self, func, what: str, done_text: str = "") -> None:
        def done(_: Any) -> None:
            if done_text:
                emit(self.message, done_text, False)
            emit(self.changed, what)

        self.tasks.write(func, done, self.fail)

    # -- feedback --------------------------------------------------------------------
    def feedback(self, ids: list[int], kind: str, value: float | None = None) -> None:
        if not ids:
            return
        if kind in ("hide", "unhide"):  # undoable, wherever it comes from
            self._change_hidden(ids, kind)
            return
        texts = {"like": self.tr("Liked {0} item(s)"), "dislike": self.tr("Disliked {0} item(s)")}
        text = texts.get(kind, "").format(len(ids))
        self._write(lambda s: core.record_feedback(s, ids, kind, value), "feedback", text)

    # -- hiding, with undo ----------------------------------------------------------
    def hide(self, ids: list[int]) -> None:
        """Hide items (Delete); Undo shows them again."""
        self._change_hidden(ids, "hide")

    def unhide(self, ids: list[int]) -> None:
        """Show hidden items again; Undo hides them again."""
        self._change_hidden(ids, "unhide")

    def undo_text(self) -> str:
        change = self.undo_stack.peek()
        if change is None:
            return ""
        return (self.tr("Undo Hide") if change.kind == "hide" else self.tr("Undo Show Again"))

    def undo(self) -> None:
        """Reverse the last hide or unhide the user made."""
        change = self.undo_stack.pop()
        emit(self.undoChanged, self.undo_text())
        if change is None:
            return

        def done(reverted: Change) -> None:
            if reverted.kind == "unhide":
                emit(self.shownAgain, list(reverted.ids))
            text = (self.tr("Undone: {0} item(s) shown again") if reverted.kind == "unhide"
                    else self.tr("Undone: {0} item(s) hidden again"))
            emit(self.message, text.format(len(reverted.ids)), False)
            emit(self.changed, "hidden")

        self.tasks.write(lambda s: core.need("hidden").undo(s, change), done, self.fail)

    def _change_hidden(self, ids: list[int], kind: str) -> None:
        if not ids:
            return

        def done(change: Change) -> None:
            self.undo_stack.push(change)
            emit(self.undoChanged, self.undo_text())
            if kind == "unhide":
                emit(self.shownAgain, list(change.ids))
            text = (self.tr("Hid {0} item(s)") if kind == "hide"
                    else self.tr("Showing {0} item(s) again")).format(len(ids))
            emit(self.message, text, False)
            emit(self.changed, "hidden")

        hidden = core.need("hidden")
        job = hidden.hide if kind == "hide" else hidden.unhide
        self.tasks.write(lambda s: job(s, ids), done, self.fail)

    def _note(self, ids: list[int], kind: str, value: float | None = None) -> None:
        """Implicit feedback, recorded quietly: no message and no "changed", so For you does
        not rearrange itself under the user's eyes; its next refresh takes it into account."""
        if core.module("feedback") is not None:
            self.tasks.write(lambda s: core.record_feedback(s, ids, kind, value), None,
                             lambda _exc: None)

    def opened(self, item_id: int) -> None:
        self._note([item_id], "open")

    def dwelt(self, item_id: int, seconds: float) -> None:
        """The user read an item in Quick Look for `seconds`: a dwell, which tells reading
        (minutes) from a glance. A flick open and shut (under MIN_DWELL_S) says nothing."""
        if seconds >= MIN_DWELL_S:
            self._note([item_id], "dwell", round(min(seconds, MAX_DWELL_S), 1))

    def shown(self, ids: list[int]) -> None:
        """For you displayed these items (impressions)."""
        self._note(ids, "shown")

    # -- tags ------------------------------------------------------------------------
    def decide(self, ids: list[int], tag_id: int, accept: bool) -> None:
        def job(store: Store) -> None:
            tags = core.need("tags")
            (tags.accept if accept else tags.reject)(store, ids, tag_id)

        text = (self.tr("Tag accepted on {0} item(s)") if accept
                else self.tr("Tag rejected on {0} item(s)")).format(len(ids))
        self._write(job, "tags", text)

    def decide_many(self, pairs: list[tuple[int, int]], accept: bool) -> None:
        """Accept or reject (item id, tag id) suggestions in one job."""
        def job(store: Store) -> None:
            tags = core.need("tags")
            by_tag: dict[int, list[int]] = {}
            for item_id, tag_id in pairs:
                by_tag.setdefault(tag_id, []).append(item_id)
            for tag_id, ids in by_tag.items():
                (tags.accept if accept else tags.reject)(store, ids, tag_id)

        text = (self.tr("Accepted {0} suggestion(s)") if accept
                else self.tr("Rejected {0} suggestion(s)")).format(len(pairs))
        self._write(job, "tags", text)

    def apply_tag(self, ids: list[int], name: str) -> None:
        """Tag many items at once, creating the tag when it does not exist yet."""
        def job(store: Store) -> None:
            tags = core.need("tags")
            existing = {t["name"].casefold(): t["id"] for t in tags.list_tags(store)}
            tag_id = existing.get(name.casefold())
            if tag_id is None:
                created = tags.create_tag(store, name)
                tag_id = created["id"] if isinstance(created, dict) else created
            tags.accept(store, ids, tag_id)

        self._write(job, "tags", self.tr("Tagged {0} item(s) “{1}”").format(len(ids), name))

    def create_tag(self, name: str, parent_id: int | None = None) -> None:
        self._write(lambda s: core.need("tags").create_tag(s, name, parent_id=parent_id), "tags",
                    self.tr("Created tag “{0}”").format(name))

    def rename_tag(self, tag_id: int, name: str) -> None:
        self._write(lambda s: core.need("tags").rename_tag(s, tag_id, name), "tags",
                    self.tr("Renamed to “{0}”").format(name))

    def merge_tags(self, source_ids: list[int], target_id: int) -> None:
        def job(store: Store) -> None:
            tags = core.need("tags")
            for source_id in source_ids:
                tags.merge_tags(store, source_id, target_id)

        self._write(job, "tags",
                    self.tr("Merged {0} tag(s)").format(len(source_ids)))

    def set_learnable(self, tag_id: int, learnable: bool) -> None:
        self._write(lambda s: core.need("tags").set_learnable(s, tag_id, learnable), "tags")

    def build_clusters(self) -> None:
        self._write(lambda s: core.need("clusters").build_clusters(s), "clusters",
                    self.tr("Clusters rebuilt"))

    # -- files -----------------------------------------------------------------------
    def open_file(self, item: dict[str, Any]) -> None:
        path = item.get("path") or ""
        if not os.path.exists(path):
            emit(self.message, self.tr("The file is gone: {0}").format(path), True)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
        self.opened(item["id"])

    def show_in_folder(self, item: dict[str, Any]) -> None:
        path = item.get("path") or ""
        folder = os.path.dirname(path)
        if not os.path.isdir(folder):
            emit(self.message, self.tr("The folder is gone: {0}").format(folder), True)
            return
        # Select the file where the platform's file manager can; otherwise open its folder.
        if sys.platform == "darwin":
            subprocess.Popen(["open", "-R", path])
        elif sys.platform == "win32":
            subprocess.Popen(["explorer", "/select,", os.path.normpath(path)])
        else:
            QDesktopServices.openUrl(QUrl.fromLocalFile(folder))
