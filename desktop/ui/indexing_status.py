"""The status-bar widget for a running index: stage, counts, files/s, ETA, pause, cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from .. import pipeline
from .signals import emit


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60}:{seconds % 60:02d}"


class IndexingStatus(QWidget):
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.control: pipeline.Control | None = None
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(180)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.pause_button = QToolButton()
        self.pause_button.setText(self.tr("Pause"))
        self.pause_button.setAutoRaise(True)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button = QToolButton()
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.pause_button)
        layout.addWidget(self.cancel_button)
        self.hide()

    def stage_name(self, stage: str) -> str:
        names = {"scanning": self.tr("Scanning"), "extracting": self.tr("Reading files"),
                 "embedding": self.tr("Embedding"), "tagging": self.tr("Tagging"),
                 "summarising": self.tr("Summarising"), "clustering": self.tr("Clustering"),
                 "done": self.tr("Done")}
        return names.get(stage, stage.capitalize())

    def start(self, control: pipeline.Control) -> None:
        self.control = control
        self.pause_button.setText(self.tr("Pause"))
        self.pause_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.label.setText(self.tr("Starting…"))
        self.bar.setRange(0, 0)
        self.show()

    def update_progress(self, p: pipeline.Progress) -> None:
        if self.control is None:
            return
        stage = self.stage_name(p.stage)
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(min(p.done, p.total))
            text = self.tr("{0}: {1} / {2} · {3:.1f} files/s · ETA {4}").format(
                stage, p.done, p.total, p.rate, format_eta(p.eta_seconds))
        else:
            self.bar.setRange(0, 0)
            text = self.tr("{0}: {1} files found").format(stage, p.done)
        if self.control.paused:
            text = self.tr("Paused — ") + text
        self.label.setText(text)
        self.label.setToolTip(p.detail)

    def toggle_pause(self) -> None:
        if self.control is None:
            return
        if self.control.paused:
            self.control.resume()
            self.pause_button.setText(self.tr("Pause"))
        else:
            self.control.pause()
            self.pause_button.setText(self.tr("Resume"))

    def cancel(self) -> None:
        if self.control is not None:
            self.control.cancel()
            self.label.setText(self.tr("Stopping…"))
            self.pause_button.setEnabled(False)
            self.cancel_button.setEnabled(False)
            emit(self.cancelRequested)

    def finish(self) -> None:
        self.control = None
        self.hide()

    @property
    def running(self) -> bool:
        return self.control is not None
