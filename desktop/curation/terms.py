"""Words for cluster labels: English words and Chinese nouns (jieba), stopwords removed."""

from __future__ import annotations

import re

_EN_STOP = frozenset(
    """a about above after again against all almost also although always am among an and
    another any anyone anything are aren't around as at away be because been before being
    below between both but by can cannot could couldn't did didn't do does doesn't doing done
    don't down during each either else enough even ever every few for from further get gets
    getting give given go goes going gone got had has hasn't have haven't having he he's her
    here hers herself him himself his how however i i'm i've if in into is isn't it it's its
    itself just know least less let like likely made make makes many may me might mine more
    most much must my myself near need never new no nor not now of off often oh ok on once
    one only or other others our ours ourselves out over own per perhaps quite rather really
    said same say says see seem seems several shall she should since so some something
    sometimes still such than that that's the their theirs them themselves then there there's
    these they they're thing things think this those though through thus to too took toward
    under until up upon us use used using very want was wasn't way we we're well were what
    whatever when where whether which while who whom whose why will with within without won't
    would wouldn't yet you you're your yours yourself yourselves first second last next old
    good great little lot lots back ever also get got two three four five ten us mr mrs""".split()
)
_ZH_STOP = frozenset(
    """我们 你们 他们 她们 它们 自己 这个 那个 这些 那些 这里 那里 什么 怎么 为什么 因为 所以
    但是 而且 然后 已经 可以 没有 一个 一些 一种 时候 今天 明天 昨天 现在 以后 以前 之后 之前
    问题 方面 情况 东西 事情 地方 人们 大家 其中 部分 时间 方式 过程 结果 内容 如果 就是 还是
    不是 这样 那样 可能 需要 进行 通过 以及 或者 还有 也是 一样""".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def words(text: str) -> list[str]:
    """Content words of `text`: lowercased English words (3+ letters) and Chinese nouns."""
    out = [w for w in (m.group().lower().replace("’", "'") for m in _WORD.finditer(text))
           if len(w) >= 3 and w not in _EN_STOP]
    runs = _CJK_RUN.findall(text)
    if runs:
        from desktop.ml.chinese_words import posseg
        from desktop.ml.keyphrases import zh_noun_tag

        pseg = posseg()
        for run in runs:
            # Dictionary words only: jieba's guessed new words are often fragments that
            # straddle two words ("时应" from "建设时应充分"), unreadable as a label. Nouns
            # only: "一名", "为期" or "显示" say nothing about a topic. As fast as plain
            # segmentation without the guessing.
            out += [p.word for p in pseg.cut(run, HMM=False)
                    if len(p.word) >= 2 and p.word not in _ZH_STOP and zh_noun_tag(p.word, p.flag)]
    return out
