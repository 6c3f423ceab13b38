"""The main window: sidebar, pages, toolbar, menus, status bar, and the work behind them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from .. import pipeline
from ..catalog.store import Store, now_iso
from ..paths import resource_path
from . import core, theme
from .clusters_view import ClustersPage
from .curator import Curator
from .duplicates_view import DuplicatesPage
from .failed_view import FailedPage
from .foryou_view import ForYouPage
from .hidden_view import HiddenPage
from .indexing_status import IndexingStatus
from .item_list import ItemList
from .library_view import LibraryPage
from .preview_dialog import PreviewDialog
from .signals import emit
from .tags_view import TagsPage
from .tasks import IndexControl, Tasks
from .thumbnails import Thumbnails

LIBRARY, TAGS, CLUSTERS, FOR_YOU, DUPLICATES, HIDDEN, FAILED = range(7)
# Indexing stages whose results the detail pane shows (pipeline.Progress.stage).
MADE_FOR_THE_DETAIL = ("embedding", "tagging", "summarising")
LIVE_REFRESH_MS = 2500  # how often the library list picks up newly read files while indexing


class MainWindow(QMainWindow):
    indexingFinished = Signal(object)  # RunReport, or the exception that stopped the run

    def __init__(self, db_path: Path, settings: QSettings | None = None, with_models: bool = True,
                 first_start_sample: bool = True) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.settings = settings or QSettings()
        self.with_models = with_models
        self.first_start_sample = first_start_sample
        self.control: IndexControl | None = None
        self._index_again = False
        self._stage = ""  # the indexing stage last reported
        self.overview: dict[str, Any] = {}

        self.setWindowTitle("Curio")
        self.setAcceptDrops(True)
        self.setUnifiedTitleAndToolBarOnMac(True)
        self.tasks = Tasks(self.db_path, self)
        self.curator = Curator(self.tasks, self)
        self.thumbnails = Thumbnails(self.tasks, self)

        self._make_actions()
        self.library = LibraryPage(self.tasks, self.curator, self.thumbnails, self.detail_actions)
        self.tags = TagsPage(self.tasks, self.curator)
        self.clusters = ClustersPage(self.tasks, self.curator, self.thumbnails)
        self.for_you = ForYouPage(self.tasks, self.curator)
        self.duplicates = DuplicatesPage(self.tasks, self.curator)
        self.hidden = HiddenPage(self.tasks, self.curator, self.thumbnails)
        self.hidden.set_actions(self.unhide_action, [self.preview_action, self.open_action,
                                                     self.folder_action])
        self.hidden.openItem.connect(lambda _id: self.preview())
        self.failed = FailedPage(self.tasks, self.curator)
        self.pages = [self.library, self.tags, self.clusters, self.for_you, self.duplicates,
                      self.hidden, self.failed]
        for page in (self.library.items, self.clusters.members):
            page.context_actions = self.context_actions
        for page in (self.for_you, self.duplicates):
            page.context_actions = self.context_actions
        for page in (self.clusters, self.for_you, self.duplicates):
            page.openItem.connect(self.reveal_item)

        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)
        self.sidebar = self._make_sidebar()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([190, 1010])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self._make_toolbar()
        self._make_menus()
        self._make_status_bar()

        self.curator.message.connect(self.show_message)
        self.curator.changed.connect(self._curation_changed)
        self.curator.undoChanged.connect(self._undo_changed)
        self.curator.shownAgain.connect(lambda _ids: self.library.reload())
        for signal in (self.library.items.selectionChanged, self.clusters.members.selectionChanged,
                       self.for_you.list.itemSelectionChanged, self.duplicates.tree.itemSelectionChanged,
                       self.hidden.items.selectionChanged):
            signal.connect(self._update_actions)
        self.library.itemsShown.connect(lambda _n: self._update_actions())
        self.tasks.writerReady.connect(self._catalog_ready)
        self.tasks.writerFailed.connect(self._catalog_failed)
        self.tasks.runningChanged.connect(self._tasks_changed)
        self._live_busy = False
        self._live_since: str | None = None
        self._live = QTimer(self, interval=LIVE_REFRESH_MS)
        self._live.timeout.connect(self._live_refresh)

        self.resize(1200, 760)
        self._restore_settings()
        self._update_actions()
        if not os.environ.get("CURIO_NO_PRELOAD"):
            core.preload()  # before the workers start: see core.preload
        self.tasks.start()

    # -- building --------------------------------------------------------------------
    def _action(self, text: str, icon_name: str | None = None, shortcut: Any = None,
                slot=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(theme.icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work whichever page has focus
        return action

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.add_folder_action = self._action(
            self.tr("Add Folder…"), "folder-add", keys.Open, self.add_folder_dialog,
            self.tr("Add a library folder (Ctrl+O)"))
        self.update_action = self._action(
            self.tr("Update Library"), None, keys.Refresh, self.start_indexing,
            self.tr("Look for new and changed files"))
        self.quit_action = self._action(self.tr("Quit"), None, keys.Quit, self.close)
        self.find_action = self._action(self.tr("Find"), "search", keys.Find, self.focus_search)
        self.like_action = self._action(
            self.tr("Like"), "like", "Ctrl+L", lambda: self.feedback("like"),
            self.tr("More like this (Ctrl+L)"))
        self.dislike_action = self._action(
            self.tr("Dislike"), "dislike", "Ctrl+D", lambda: self.feedback("dislike"),
            self.tr("Less like this (Ctrl+D)"))
        self.hide_action = self._action(
            self.tr("Hide"), "hide", keys.Delete, lambda: self.feedback("hide"),
            self.tr("Hide from every view (Delete)"))
        self.unhide_action = self._action(
            self.tr("Show Again"), None, "Ctrl+Shift+H", self.unhide_selected,
            self.tr("Show the selected hidden items in every view again (Ctrl+Shift+H)"))
        self.undo_action = self._action(self.tr("Undo"), None, keys.Undo, self.curator.undo)
        self.undo_action.setEnabled(False)
        self.preview_action = self._action(self.tr("Quick Look"), None, "Space", self.preview,
                                           self.tr("Preview the item (Space)"))
        self.open_action = self._action(self.tr("Open File"), None, "Ctrl+Return", self.open_current)
        self.folder_action = self._action(self.tr("Show in Folder"), "library", "Ctrl+Shift+R",
                                          self.show_current_in_folder)
        self.tag_action = self._action(self.tr("Tag Selection…"), "tag", "Ctrl+T", self.tag_selection,
                                       self.tr("Put a tag on every selected item (Ctrl+T)"))
        self.item_actions = [self.like_action, self.dislike_action, self.hide_action]
        self.detail_actions = [self.like_action, self.dislike_action, self.hide_action]
        self.context_actions = [self.preview_action, self.open_action, self.folder_action, None,
                                self.like_action, self.dislike_action, self.hide_action, None,
                                self.tag_action]

        self.table_action = self._action(self.tr("Table"), None, "Ctrl+Shift+1",
                                         lambda: self.set_view_mode(ItemList.TABLE))
        self.grid_action = self._action(self.tr("Grid"), None, "Ctrl+Shift+2",
                                        lambda: self.set_view_mode(ItemList.GRID))
        group = QActionGroup(self)
        for action in (self.table_action, self.grid_action):
            action.setCheckable(True)
            group.addAction(action)
        self.table_action.setChecked(True)

        # Which embedding model reads the library (desktop/ml/choice.py).
        self.embedder_actions: dict[str, QAction] = {}
        embedder_group = QActionGroup(self)
        for key, text, tip in (
                ("auto", self.tr("Automatic"),
                 self.tr("Multilingual when most of the library is Chinese, else English")),
                ("minilm-l6-v2", self.tr("English (faster)"),
                 self.tr("Best for English libraries; about twice as fast")),
                ("multilingual-e5-small", self.tr("Multilingual (Chinese, mixed languages)"),
                 self.tr("Chinese and mixed libraries; finds items across languages"))):
            action = QAction(text, self, checkable=True)
            action.setStatusTip(tip)
            action.setToolTip(tip)
            action.triggered.connect(lambda _c=False, k=key: self.set_embedder(k))
            embedder_group.addAction(action)
            self.embedder_actions[key] = action

        self.theme_actions: dict[str, QAction] = {}
        theme_group = QActionGroup(self)
        for key, text in ((theme.SYSTEM, self.tr("Follow System")), (theme.LIGHT, self.tr("Light")),
                          (theme.DARK, self.tr("Dark"))):
            action = QAction(text, self, checkable=True)
            action.triggered.connect(lambda _c=False, k=key: self.set_theme(k))
            theme_group.addAction(action)
            self.theme_actions[key] = action

    def _make_sidebar(self) -> QListWidget:
        sidebar = QListWidget()
        sidebar.setObjectName("sidebar")
        sidebar.setIconSize(QSize(20, 20))
        sidebar.setMinimumWidth(170)
        sidebar.setMaximumWidth(280)
        self._sidebar_names = [
            (self.tr("Library"), "library"), (self.tr("Tags"), "tag"), (self.tr("Clusters"), "cluster"),
            (self.tr("For you"), "foryou"), (self.tr("Duplicates"), "duplicate"),
            (self.tr("Hidden"), "hide"), (self.tr("Failed files"), "warning")]
        for text, icon_name in self._sidebar_names:
            sidebar.addItem(QListWidgetItem(theme.icon(icon_name), text))
        sidebar.currentRowChanged.connect(self.show_page)
        return sidebar

    def _make_toolbar(self) -> None:
        bar = QToolBar(self.tr("Main toolbar"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setIconSize(QSize(20, 20))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addAction(self.add_folder_action)
        bar.addSeparator()
        for action in (self.like_action, self.dislike_action, self.hide_action, self.tag_action):
            bar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.table_action)
        bar.addAction(self.grid_action)
        self.addToolBar(bar)
        self.toolbar = bar

    def _make_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        menu.addAction(self.add_folder_action)
        menu.addAction(self.update_action)
        understanding = menu.addMenu(self.tr("Language Model"))
        for action in self.embedder_actions.values():
            understanding.addAction(action)
        self.embedder_menu = understanding
        menu.addSeparator()
        menu.addAction(self.quit_action)
        menu = self.menuBar().addMenu(self.tr("&Edit"))
        menu.addAction(self.undo_action)
        menu.addSeparator()
        menu.addAction(self.find_action)
        menu = self.menuBar().addMenu(self.tr("&Item"))
        for action in self.context_actions:
            menu.addSeparator() if action is None else menu.addAction(action)
        menu.addAction(self.unhide_action)
        menu = self.menuBar().addMenu(self.tr("&View"))
        for number, (text, _icon) in enumerate(self._sidebar_names):
            action = self._action(text, None, f"Ctrl+{number + 1}",
                                  lambda _c=False, n=number: self.sidebar.setCurrentRow(n))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.table_action)
        menu.addAction(self.grid_action)
        menu.addSeparator()
        themes = menu.addMenu(self.tr("Appearance"))
        for action in self.theme_actions.values():
            themes.addAction(action)
        menu = self.menuBar().addMenu(self.tr("&Help"))
        menu.addAction(self.tr("About Curio"), self.about)

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.indexing = IndexingStatus()
        self.indexing.cancelRequested.connect(lambda: self.show_message(self.tr("Stopping after the "
                                                                                "current files…")))
        self.counts_label = QLabel()
        self.counts_label.setObjectName("muted")
        bar.addPermanentWidget(self.indexing)
        bar.addPermanentWidget(self.counts_label)

    # -- settings --------------------------------------------------------------------
    def _splitters(self) -> list[QSplitter]:
        return [self.splitter, self.library.splitter, self.tags.splitter, self.clusters.splitter,
                self.clusters.inner]

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for splitter in self._splitters():
            sizes = s.value(f"splitters/{splitter.objectName()}")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)
        mode = int(s.value("library/viewMode", ItemList.TABLE))
        self.set_view_mode(mode)
        chosen = str(s.value("appearance/theme", theme.SYSTEM))
        self.theme_actions.get(chosen, self.theme_actions[theme.SYSTEM]).setChecked(True)
        self.sidebar.setCurrentRow(int(s.value("window/page", LIBRARY)))

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        for splitter in self._splitters():
            s.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        s.setValue("library/viewMode", self.library.items.mode())
        s.setValue("window/page", self.sidebar.currentRow())
        s.sync()

    def set_theme(self, choice: str) -> None:
        self.settings.setValue("appearance/theme", choice)
        theme.apply(QApplication.instance(), choice)

    def set_embedder(self, choice: str) -> None:
        """Switch the embedding model: the library is re-read in the background (with
        progress, cancellable) while search and the other views go on with the old vectors."""
        def done(chosen: str) -> None:
            name = self.embedder_actions[chosen].text() if chosen in self.embedder_actions else chosen
            self.show_message(self.tr("Using the {0} model; updating the library in the "
                                      "background…").format(name))
            self.refresh_overview()
            if self.with_models:
                self.start_indexing()

        self.tasks.write(lambda s: core.set_embedder(s, choice), done,
                         lambda exc: self.show_message(self.curator.error_text(exc), True))

    def set_view_mode(self, mode: int) -> None:
        self.library.items.set_mode(mode)
        (self.grid_action if mode == ItemList.GRID else self.table_action).setChecked(True)

    # -- pages -----------------------------------------------------------------------
    def show_page(self, number: int) -> None:
        if number < 0:
            return
        self.stack.setCurrentIndex(number)
        if self.tasks.ready:
            self._load_page(number)
        self._update_actions()

    def _load_page(self, number: int) -> None:
        page = self.pages[number]
        if page is self.library:
            if self.library.items.count() == 0:
                self.library.reload()
        else:
            page.reload()

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def reveal_item(self, item_id: int) -> None:
        self.sidebar.setCurrentRow(LIBRARY)
        self.library.reveal(item_id)

    def focus_search(self) -> None:
        self.sidebar.setCurrentRow(LIBRARY)
        self.library.search.box.setFocus()
        self.library.search.box.selectAll()

    # -- catalog ---------------------------------------------------------------------
    def _catalog_ready(self) -> None:
        self._load_page(self.stack.currentIndex())
        self.refresh_overview(first=True)

    def _catalog_failed(self, exc: BaseException) -> None:
        QMessageBox.critical(self, self.tr("Curio cannot open its catalog"), str(exc))

    def refresh_overview(self, first: bool = False) -> None:
        self.tasks.read(core.overview, lambda data: self._overview(data, first), self._overview_failed)

    def _overview_failed(self, exc: BaseException) -> None:
        self.show_message(self.curator.error_text(exc), True)

    def _overview(self, data: dict[str, Any], first: bool) -> None:
        self.overview = data
        counts = data["counts"]
        # What the library shows: readable items the user has not hidden.
        self.counts_label.setText(self.tr("{0} items").format(counts["ok"] - data.get("hidden", 0)))
        self.library.search.set_choices(data)
        for row, count in ((FAILED, counts["failed"]), (HIDDEN, data.get("hidden", 0))):
            text = self._sidebar_names[row][0]
            self.sidebar.item(row).setText(f"{text}  ({count})" if count else text)
        embedder = data.get("embedder")
        self.embedder_menu.setEnabled(embedder is not None)
        if embedder is not None and embedder["choice"] in self.embedder_actions:
            self.embedder_actions[embedder["choice"]].setChecked(True)
        features = data.get("features", {})
        for row, feature in ((TAGS, "tags"), (CLUSTERS, "clusters"), (FOR_YOU, "recommend"),
                             (DUPLICATES, "similar")):
            item = self.sidebar.item(row)
            item.setToolTip("" if features.get(feature, True) else self.tr("Not available in this build"))
        if first:
            if not data["roots"] and counts["total"] == 0 and self.first_start_sample:
                self.add_folders([resource_path("sample")], welcome=True)
            elif data["roots"]:
                self.start_indexing()  # pick up what changed while Curio was closed

    # -- indexing --------------------------------------------------------------------
    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a library folder"))
        if folder:
            self.add_folders([Path(folder)])

    def add_folders(self, folders: list[Path], welcome: bool = False) -> None:
        folders = [Path(f) for f in folders if Path(f).is_dir()]
        if not folders:
            return

        def job(store: Store) -> int:
            for folder in folders:
                store.add_root(folder)
            return len(folders)

        if welcome:
            self.show_message(self.tr("Welcome to Curio: opening the sample library…"))
        else:
            self.show_message(self.tr("Added {0}").format(", ".join(str(f) for f in folders)))
        self.tasks.write(job, lambda _n: self.start_indexing(), lambda exc: self.show_message(str(exc), True))

    def start_indexing(self) -> None:
        if self.indexing.running:
            self._index_again = True  # a folder came in during the run: scan again after it
            return
        self._live_since = now_iso()  # files read from now on are the new ones
        self._stage = ""
        self.control = self.tasks.index(self._indexing_progress, self._indexing_done,
                                        self._indexing_failed, with_models=self.with_models)
        self.indexing.start(self.control)
        self._live.start()

    def _indexing_progress(self, p: pipeline.Progress) -> None:
        self.indexing.update_progress(p)
        if p.stage != self._stage:
            if self._stage in MADE_FOR_THE_DETAIL:
                self.library.detail.refresh()  # its tags or summary exist now: show them
            self._stage = p.stage

    def _indexing_done(self, report: pipeline.RunReport) -> None:
        self._indexing_ended()
        if report.cancelled:
            self.show_message(self.tr("Indexing cancelled; finished files are kept."))
            self._index_again = False
        else:
            text = self.tr("Library up to date: {0} new, {1} changed, {2} could not be read").format(
                report.new, report.changed, report.failed)
            self.show_message(text)
        emit(self.indexingFinished, report)
        if self._index_again:
            self._index_again = False
            self.start_indexing()

    def _indexing_failed(self, exc: BaseException) -> None:
        self._indexing_ended()
        self.show_message(self.tr("Indexing stopped: {0}").format(exc), True)
        emit(self.indexingFinished, exc)

    def _indexing_ended(self) -> None:
        self.indexing.finish()
        self.control = None
        self._live.stop()
        self._live_refresh()
        self.refresh_overview()
        self.library.detail.refresh()
        if self.current_page() is not self.library:
            self.current_page().reload()

    def _live_refresh(self) -> None:
        """Show newly read files without disturbing the user's scroll position or selection."""
        if self.library.search.active() or self._live_busy:
            return
        self._live_busy = True
        since = self._live_since

        def add(result: tuple[list[dict], str | None]) -> None:
            self._live_busy = False
            rows, self._live_since = result
            # What the list holds now, not when asked: a reload of the whole library may
            # have filled it in between (on first start both come at once).
            known = set(self.library.items.model.ids())
            rows = [r for r in rows if r["id"] not in known]
            if rows:
                first = self.library.items.count() == 0
                self.library.items.append_items(rows)
                self.library._show_count()
                if first:
                    self.library.items.select_first()
                self.counts_label.setText(self.tr("{0} items").format(self.library.items.count()))

        def failed(_exc: BaseException) -> None:
            self._live_busy = False

        # Only rows read since the last look (stamps have second resolution: >= re-reads
        # the last second, and known ids are dropped).
        self.tasks.read(lambda s: core.items_indexed_since(s, since), add, failed)

    # -- drag and drop ---------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if any(u.isLocalFile() and Path(u.toLocalFile()).is_dir() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        folders = [Path(u.toLocalFile()) for u in event.mimeData().urls()
                   if u.isLocalFile() and Path(u.toLocalFile()).is_dir()]
        if folders:
            event.acceptProposedAction()
            self.add_folders(folders)

    # -- item actions ----------------------------------------------------------------
    def selected_items(self) -> list[dict[str, Any]]:
        page = self.current_page()
        return page.selected_items() if hasattr(page, "selected_items") else []

    def _update_actions(self) -> None:
        has = bool(self.selected_items())
        for action in (self.like_action, self.dislike_action, self.preview_action,
                       self.open_action, self.folder_action, self.tag_action):
            action.setEnabled(has)
        on_hidden = self.current_page() is self.hidden
        self.hide_action.setEnabled(has and not on_hidden)
        self.unhide_action.setEnabled(has and on_hidden)
        grid_capable = self.current_page() is self.library
        self.table_action.setEnabled(grid_capable)
        self.grid_action.setEnabled(grid_capable)

    def feedback(self, kind: str) -> None:
        items = self.selected_items()
        if not items:
            return
        ids = [i["id"] for i in items]
        if kind == "hide":
            if self.current_page() is self.hidden:
                return  # already hidden
            self.library.remove_ids(set(ids))
        self.curator.feedback(ids, kind)  # a hide is undoable (Ctrl+Z)

    def unhide_selected(self) -> None:
        if self.current_page() is self.hidden:
            self.hidden.unhide_selected()

    def _undo_changed(self, text: str) -> None:
        self.undo_action.setText(text or self.tr("Undo"))
        self.undo_action.setEnabled(bool(text))

    def preview(self) -> None:
        items = self.selected_items()
        if items:
            self._preview = PreviewDialog(self.tasks, items[0], self)
            item_id = items[0]["id"]
            self._preview.readFor.connect(lambda seconds: self.curator.dwelt(item_id, seconds))
            self._preview.show()

    def open_current(self) -> None:
        for item in self.selected_items()[:10]:
            self.curator.open_file(item)

    def show_current_in_folder(self) -> None:
        items = self.selected_items()
        if items:
            self.curator.show_in_folder(items[0])

    def tag_selection(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        ids = [i["id"] for i in self.selected_items()]
        if not ids:
            return
        names = [t["name"] for t in self.overview.get("tags", [])]
        name, ok = QInputDialog.getItem(self, self.tr("Tag selection"),
                                        self.tr("Tag {0} item(s) with:").format(len(ids)),
                                        names, 0, True)
        if ok and name.strip():
            self.curator.apply_tag(ids, name.strip())

    def _curation_changed(self, what: str) -> None:
        if what == "tags":
            self.library.detail.refresh()
            self.refresh_overview()
        elif what in ("clusters", "hidden"):
            self.refresh_overview()

    # -- messages --------------------------------------------------------------------
    def show_message(self, text: str, error: bool = False) -> None:
        self.statusBar().showMessage(("⚠ " if error else "") + text, 12000 if error else 6000)

    def _tasks_changed(self, running: int) -> None:
        self.statusBar().setProperty("busy", running > 0)

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About Curio"), self.tr(
            "<h3>Curio</h3><p>Offline content curation: tags, clusters and recommendations for your "
            "own library. Nothing leaves this computer.</p><p>Catalog: {0}</p>").format(self.db_path))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_settings()
        self._live.stop()
        self.tasks.shutdown()
        super().closeEvent(event)
