"""Test-wide settings: headless Qt, and no user folders touched."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# Must be set before Qt is imported anywhere, or a machine without a display aborts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_scratch = Path(tempfile.mkdtemp(prefix="curio-tests-"))
os.environ["CURIO_DATA_DIR"] = str(_scratch / "data")
os.environ["CURIO_CACHE_DIR"] = str(_scratch / "cache")
os.environ.setdefault("CURIO_THREADS", "2")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
