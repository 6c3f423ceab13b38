"""jieba reading the gzipped dictionary the packaged binary carries."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import jieba
import jieba.posseg

from desktop.ml.chinese_words import PACKED, PLAIN, posseg, use_packed_dictionary

TEXT = "政府出台了多项补贴政策，鼓励消费者购买电动汽车。"


def _packed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "jieba"
    folder.mkdir()
    with open(Path(jieba.__file__).parent / PLAIN, "rb") as src, gzip.open(folder / PACKED, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return folder


def test_tokenizer_reads_the_gzipped_dictionary(tmp_path: Path) -> None:
    folder = _packed_folder(tmp_path)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(tmp_path)  # no cache yet: the dictionary itself must be read
    assert use_packed_dictionary(tokenizer, folder)
    assert tokenizer.lcut(TEXT, HMM=False) == jieba.lcut(TEXT, HMM=False)
    assert (tmp_path / "jieba.cache").is_file()
    # jieba.posseg takes the part-of-speech tags from the same file
    tags = jieba.posseg.POSTokenizer(tokenizer)
    assert tags.word_tag_tab["电动汽车"] == "n"
    assert [(p.word, p.flag) for p in tags.cut(TEXT, HMM=False)] == [
        (p.word, p.flag) for p in jieba.posseg.cut(TEXT, HMM=False)]


def test_plain_dictionary_wins_and_nothing_is_patched_without_a_packed_one(tmp_path: Path) -> None:
    folder = _packed_folder(tmp_path)
    shutil.copy(Path(jieba.__file__).parent / PLAIN, folder / PLAIN)
    tokenizer = jieba.Tokenizer()
    assert not use_packed_dictionary(tokenizer, folder)
    assert "get_dict_file" not in vars(tokenizer)
    assert not use_packed_dictionary(tokenizer, tmp_path)  # neither file there


def test_posseg_is_ready_to_cut() -> None:
    flags = {p.word: p.flag for p in posseg().cut(TEXT, HMM=False)}
    assert flags["电动汽车"] == "n"
