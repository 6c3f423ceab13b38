"""jieba, set up once for Chinese words: quiet, and able to read a gzipped dictionary.

The packaged binary carries jieba's 5 MB dictionary gzipped (build.spec), 3.2 MB less.
jieba reads the dictionary once per machine and keeps its own cache (jieba.cache in the
temp folder), so reading it through gzip costs a fraction of a second, once.
"""

from __future__ import annotations

import gzip
import logging
import threading
from pathlib import Path
from types import ModuleType
from typing import IO, Any

PLAIN, PACKED = "dict.txt", "dict.txt.gz"
_lock = threading.Lock()
_ready: ModuleType | None = None


def posseg() -> ModuleType:
    """jieba.posseg, ready to cut. Every import of jieba goes through here: jieba.posseg
    reads the dictionary's tags as it is imported, so the gzipped copy must be in place
    first. Set up once: callers ask for it once per text."""
    global _ready
    if _ready is not None:
        return _ready
    with _lock:
        if _ready is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # dictionary-loading chatter is not for users
            use_packed_dictionary(jieba.dt, Path(jieba.__file__).parent)
            import jieba.posseg as pseg

            _ready = pseg
        return _ready


def use_packed_dictionary(tokenizer: Any, folder: Path) -> bool:
    """Make `tokenizer` (a jieba.Tokenizer with the default dictionary) read `folder`'s
    dict.txt.gz when dict.txt is not there. True when it now reads the gzipped copy."""
    packed = folder / PACKED
    if (folder / PLAIN).is_file() or not packed.is_file():
        return False

    def open_packed() -> IO[bytes]:
        return gzip.open(packed, "rb")

    tokenizer.get_dict_file = open_packed
    return True
