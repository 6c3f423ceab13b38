"""The emit() helper keeps the interpreter alive through many signal emissions."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from desktop.ui.signals import emit


class Source(QObject):
    happened = Signal(object)


def test_many_emits_keep_true_alive(qtbot):
    source = Source()
    got = []
    source.happened.connect(got.append)
    before = sys.getrefcount(True)
    for n in range(2000):
        emit(source.happened, n)
    assert len(got) == 2000
    assert sys.getrefcount(True) >= before - 5
