"""Keyphrases: candidate phrases ranked by embedding similarity to the document, diversified.

English candidates are noun-phrase-like n-grams (1-3 words between stopwords and
punctuation). Chinese candidates are words from jieba segmentation: Chinese has no spaces,
and character n-grams would mostly be fragments that straddle word boundaries ("济增长" from
"经济增长"); jieba's dictionary and part-of-speech tags give real words, and nouns among them,
plus compounds of two adjacent nouns that recur ("口袋公园", which the dictionary splits).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop.ml.sentences import without_metadata

__all__ = ["Keyphrase", "extract_keyphrases", "candidates"]

MAX_CANDIDATES = 60  # most frequent candidates embedded: bounds the cost per document
ZH_COMPOUND_CHARS = 6  # two adjacent Chinese nouns up to this length also make a candidate

_EN_STOP = frozenset(
    """a about above after again against all almost also although always am among an and
    another any anyone anything are around as at away be because been before being below
    between both but by can cannot could did do does doing done down during each either else
    enough even ever every few for from further get gets getting give given go goes going got
    had has have having he her here hers herself him himself his how however i if in into is
    it its itself just least less let like likely made make makes many may me might mine more
    most much must my myself near need never new no nor not now of off often on once one only
    or other others our ours ourselves out over own per perhaps quite rather really said same
    say says see seem seems several shall she should since so some something sometimes still
    such than that the their theirs them themselves then there these they thing things this
    those though through thus to too took toward under until up upon us use used using very
    was way we well were what whatever when where whether which while who whom whose why will
    with within without would yet you your yours yourself yourselves first second last next
    new old good great little much many lot lots another back every year years month months
    week weeks day days time times people part million billion percent""".split()
)
# Without a part-of-speech tagger, common verb forms are kept off the edges of a phrase, so
# "solar panels paid" and "cut traffic" do not pass for noun phrases.
_EN_VERBS = frozenset(
    """paid spent spend spends said says made makes took takes went goes gave gives found finds
    kept keeps keep cut cuts put puts met led won held told tells sold sells built bought
    brought thought began became come came comes saw knew grew left felt ran wrote chose rose
    fell approves approve votes argue argues think thinks want wants show shows shown include
    includes including according become becomes seem ask asks help helps allow allows cover
    covers supply supplies provide provides open opens fear fears visit visits remove removes
    plans announced expects expect needs tries try takes call calls happen happens reduce
    reduces produce produces cause causes change changes turn turns play plays move moves
    combine combines receive receives begin begins returning keeping making taking getting
    behind""".split()
)
# Words in -ly that are adjectives or nouns, not adverbs: they may stand in a keyphrase
# ("elderly care", "weekly long run", "family doctor"); any other -ly word is taken for an
# adverb, which no keyphrase needs ("usually filed online", "high pressure usually").
_LY_KEEP = frozenset(
    """family supply assembly anomaly monopoly italy july rally ally belly jelly lily holly
    reply butterfly dragonfly daily weekly monthly yearly quarterly hourly nightly early
    friendly lovely elderly costly lonely holy ugly silly curly orderly likely only
    deadly lively timely scholarly""".split()
)
_ZH_STOP = frozenset(
    """我们 你们 他们 她们 它们 自己 这个 那个 这些 那些 这里 那里 什么 怎么 为什么 因为 所以
    但是 而且 然后 已经 可以 没有 一个 一些 一种 时候 今天 明天 昨天 现在 以后 以前 之后 之前
    问题 方面 情况 东西 事情 地方 人们 大家 其中 部分 时间 方式 过程 结果 内容""".split()
)
_ZH_NOUN_FLAGS = ("n", "nr", "ns", "nt", "nz", "nw", "vn", "an")
# Words of any Latin-script language ("Café", "Zürich"); CJK never reaches here (_BREAK_RE).
_TOKEN_RE = re.compile(r"[^\W\d_](?:[^\W_]|['’\-])*[^\W_]|[^\W\d_]|\d+(?:[.,]\d+)*")
# A dash between spaces separates ("Claims Court - page 3"); one inside a word does not.
_BREAK_RE = re.compile(
    r"[^\w\s'’\-]|[\u3000-\u303f\uff00-\uffef\u3400-\u4dbf\u4e00-\u9fff]|\n\s*\n|\s-+\s"
)
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Keyphrase:
    phrase: str
    score: float  # cosine to the document vector


def candidates(text: str, max_candidates: int = MAX_CANDIDATES) -> list[str]:
    """English n-grams and Chinese words, the most frequent first (ties: first seen).

    Metadata lines (page headers and footers, "Keywords: …", "关键词：…") are not read,
    unless there is nothing else.
    """
    return _ranked(without_metadata(text), max_candidates) or _ranked(text, max_candidates)


def _ranked(text: str, max_candidates: int) -> list[str]:
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    surface: dict[str, str] = {}
    for pos, (key, form) in enumerate(_english(text) + _chinese(text)):
        counts[key] += 1
        first_seen.setdefault(key, pos)
        surface.setdefault(key, form)
    # Longer phrases are rarer but more informative: a small boost keeps them in the cap.
    ranked = sorted(
        counts, key=lambda k: (-(counts[k] * (1 + 0.3 * k.count(" "))), first_seen[k])
    )
    return [surface[k] for k in ranked[:max_candidates]]


def _english(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for chunk in _BREAK_RE.split(text):
        run: list[re.Match[str]] = []
        for m in list(_TOKEN_RE.finditer(chunk)) + [None]:  # None flushes the last run
            word = m.group().lower() if m else ""
            if m is not None and word not in _EN_STOP and len(word) > 1:
                run.append(m)
                continue
            for size in (1, 2, 3):
                for i in range(len(run) - size + 1):
                    gram = run[i : i + size]
                    if any(t.group()[0].isdigit() for t in gram):
                        continue  # numbers are not keyphrases ("2019", "cost 12 million")
                    if _verbish(gram[0].group(), last=False) or _verbish(gram[-1].group()):
                        continue
                    if any(_adverb(t.group()) for t in gram):
                        continue
                    form = chunk[gram[0].start() : gram[-1].end()]
                    if "\n" in form:
                        continue
                    out.append((form.lower(), form))
            run = []
    return out


def _verbish(word: str, last: bool = True) -> bool:
    w = word.lower()
    # A trailing "-ed" is usually a verb ("the council voted"); leading, an adjective
    # ("protected lanes"), so only the end of a phrase is checked for it.
    return w in _EN_VERBS or (last and len(w) > 4 and w.endswith("ed") and not w.endswith("eed"))


def _adverb(word: str) -> bool:
    w = word.lower()
    return len(w) > 4 and w.endswith("ly") and w not in _LY_KEEP


def _chinese(text: str) -> list[tuple[str, str]]:
    if not _CJK_RE.search(text):
        return []
    from desktop.ml.chinese_words import posseg

    pseg = posseg()
    out = []
    compounds: list[str] = []
    prev = ""  # the noun just before, for compounds jieba's dictionary lacks ("口袋" + "公园")
    # Dictionary words only: jieba's guessed new words are often fragments ("时应").
    for pair in pseg.cut(text, HMM=False):
        word, flag = pair.word, pair.flag
        if not _zh_noun(word, flag):
            prev = ""
            continue
        out.append((word, word))
        if prev and len(prev) + len(word) <= ZH_COMPOUND_CHARS:
            compounds.append(prev + word)
        prev = word
    # Two nouns side by side once are a coincidence ("公园利用"); a pair that recurs is a term.
    seen = Counter(compounds)
    return out + [(c, c) for c in compounds if seen[c] >= 2]


def _zh_noun(word: str, flag: str) -> bool:
    if not (2 <= len(word) <= 4) or not all(_CJK_RE.match(c) for c in word):
        return False
    return word not in _ZH_STOP and zh_noun_tag(word, flag)


def zh_noun_tag(word: str, flag: str) -> bool:
    """Whether jieba's part-of-speech tag makes `word` a noun (names, places, organisations
    and verbal nouns too). Names have two or three characters; longer "names" in jieba's
    dictionary are set phrases tagged by mistake ("明显增加")."""
    return flag.startswith(_ZH_NOUN_FLAGS) and not (flag == "nr" and len(word) > 3)


def extract_keyphrases(
    text: str,
    embedder: Any | None = None,
    k: int = 8,
    doc_vector: np.ndarray | None = None,
    diversity: float = 0.4,
    max_candidates: int = MAX_CANDIDATES,
) -> list[Keyphrase]:
    """Top `k` keyphrases of `text`, most relevant first, diversified by MMR."""
    cands = candidates(text, max_candidates)
    if not cands:
        return []
    if embedder is None:
        from desktop.ml.embed import get_embedder

        embedder = get_embedder()
    if doc_vector is None:
        doc_vector = np.asarray(
            embedder.embed([without_metadata(text)], kind="passage"), np.float32
        )[0]
    # Phrases are short probes looking for the document, like queries.
    vecs = np.asarray(embedder.embed(cands, kind="query"), np.float32)
    rel = vecs @ np.asarray(doc_vector, np.float32)
    sim = vecs @ vecs.T
    chosen: list[int] = []
    remaining = list(range(len(cands)))
    while remaining and len(chosen) < k:
        red = sim[np.ix_(remaining, chosen)].max(axis=1) if chosen else np.zeros(len(remaining))
        vals = (1 - diversity) * rel[remaining] - diversity * red
        best = remaining.pop(int(np.argmax(vals)))
        low = cands[best].lower()
        if any(low in cands[j].lower() or cands[j].lower() in low for j in chosen):
            continue  # "solar" next to "solar panels" says nothing new
        chosen.append(best)
    return [Keyphrase(cands[i], float(np.clip(rel[i], 0.0, 1.0))) for i in chosen]
