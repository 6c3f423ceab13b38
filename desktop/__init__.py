"""Curio: offline content curation for small publishers and archivists."""

import os

# ONNX Runtime does the heavy maths with its own threads. numpy's small matrices run far
# slower with a multi-threaded OpenBLAS competing for the same cores, so it gets one
# (set before numpy is first imported; a user's explicit setting wins).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
