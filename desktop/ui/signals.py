"""`emit(signal, *args)`: SignalInstance.emit without PySide6 6.12's reference leak.

PySide6 6.12.0's `SignalInstance.emit()` returns `True` without taking a reference to it.
On Python 3.11 (where True is not immortal) every emit from Python code takes one
reference away, and after a few hundred emits the interpreter aborts with
"bool_dealloc: deallocating True or False". We measure the leak once at import and give
the reference back after each emit only when this PySide has the bug.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def _emit_leaks() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    result = probe.ping.emit()
    del result
    return sys.getrefcount(True) < before


LEAKS = _emit_leaks()
if LEAKS:
    _incref(True)  # the probe's own emit


def emit(signal: SignalInstance, *args: Any) -> None:
    result = signal.emit(*args)
    if LEAKS and result is True:
        _incref(True)
