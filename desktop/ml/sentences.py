"""Split English, Chinese and mixed text into sentences that are exact slices of the input.

Summaries quote sentences verbatim, so every `Sentence` keeps its offsets into the original
text and its `text` is `original[start:end]`; nothing is rewritten or re-joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences", "sentence_spans"]


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # == source[start:end]
    start: int
    end: int
    paragraph: int  # 0-based paragraph (or bullet line) number
    position: int  # 0-based index of the sentence inside its paragraph


# Titles that precede a name: never the end of a sentence ("Dr. Smith").
_TITLES = frozenset(
    "mr mrs ms dr prof st sr jr gen col lt sgt capt rev hon mt ft messrs mme mlle".split()
)
# Abbreviations that rarely end a sentence and are often followed by a capital or a number.
_NEVER_FINAL = frozenset(
    "e.g i.e cf vs approx fig figs no nos vol vols pp p ch sec art ed eds dept est al viz"
    " jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k".split()
)
# Ends with a dot but may end a sentence when a capital follows ("... apples etc. Then").
_MAYBE_FINAL = frozenset("etc inc ltd co corp a.m p.m".split())

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_CLOSERS = "\"'”’」』）)]》〉"
_CJK_FINAL = "。！？；…"
_BULLET_RE = re.compile(r"^[ \t]*(?:[-*•·▪‣–—]|\d{1,3}[.)]|[a-z][.)]|[（(]\d{1,3}[)）])[ \t]+")
_TERMINAL_RE = re.compile(f"[.!?:;{_CJK_FINAL}{re.escape(_CLOSERS)}]$")
_WORD_BEFORE_DOT = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, each an exact substring of it."""
    return [s.text for s in sentence_spans(text)]


def sentence_spans(text: str) -> list[Sentence]:
    """Sentences with offsets, paragraph number and position inside the paragraph."""
    out: list[Sentence] = []
    for para_no, (seg_start, seg_end) in enumerate(_segments(text)):
        pos = 0
        for start, end in _split_segment(text, seg_start, seg_end):
            out.append(Sentence(text[start:end], start, end, para_no, pos))
            pos += 1
    return out


def _segments(text: str) -> list[tuple[int, int]]:
    """Paragraphs, bullet items and heading lines: spans no sentence may cross."""
    lines: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]*\n?", text):
        if m.group():
            lines.append((m.start(), m.end()))
    segments: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    prev_line = ""
    for a, b in lines:
        raw = text[a:b].rstrip("\n")
        body = raw.strip()
        if not body:  # blank line: paragraph break
            if cur:
                segments.append(cur)
            cur, prev_line = None, ""
            continue
        bullet = _BULLET_RE.match(raw)
        content_start = a + (bullet.end() if bullet else len(raw) - len(raw.lstrip()))
        content_end = a + len(raw.rstrip())
        starts_new = (
            cur is None
            or bullet is not None
            or _is_heading(prev_line, raw)
            or _BULLET_RE.match(prev_line) is not None
        )
        if starts_new:
            if cur:
                segments.append(cur)
            cur = (content_start, content_end)
        else:
            assert cur is not None
            cur = (cur[0], content_end)  # a wrapped line continues the paragraph
        prev_line = raw
    if cur:
        segments.append(cur)
    return segments


def _is_heading(prev_line: str, line: str) -> bool:
    """A short line without end punctuation, followed by a longer one, stands on its own."""
    prev = prev_line.strip()
    if not prev or _TERMINAL_RE.search(prev):
        return False
    return len(prev) <= 60 and len(line.strip()) > len(prev) * 1.3


def _split_segment(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    sent_start = start
    i = start
    while i < end:
        ch = text[i]
        cut = -1
        if ch in _CJK_FINAL or ch in "!?" or ch == ".":
            j = i
            while j + 1 < end and (text[j + 1] in _CJK_FINAL or text[j + 1] in ".!?"):
                j += 1  # runs like "?!", "……", "..."
            k = j
            while k + 1 < end and text[k + 1] in _CLOSERS:
                k += 1
            if ch in _CJK_FINAL or _latin_break(text, sent_start, i, j, k, end):
                cut = k + 1
            i = k
        if cut > 0:
            spans.append((sent_start, cut))
            sent_start = cut
        i += 1
    spans.append((sent_start, end))
    trimmed = []
    for a, b in spans:
        seg = text[a:b]
        a2 = a + len(seg) - len(seg.lstrip())
        b2 = a + len(seg.rstrip())
        if b2 > a2:
            trimmed.append((a2, b2))
    return trimmed


def _latin_break(text: str, sent_start: int, i: int, j: int, k: int, end: int) -> bool:
    """Decide whether ./!/? at text[i..j] (closers up to k) ends a sentence."""
    if k + 1 >= end:
        return True
    nxt = text[k + 1]
    if _CJK_RE.match(nxt):
        return True  # "... done.然后" — a Chinese sentence follows
    if not nxt.isspace():
        return False  # "3.14", "e.g.,", "example.com"
    rest = text[k + 1 : end].lstrip()
    if not rest:
        return True
    first = rest[0]
    starts_sentence = first.isupper() or first.isdigit() or first in "\"'“‘(「『" or bool(
        _CJK_RE.match(first)
    )
    if text[i] != "." or j > i:  # "!", "?", "..." — end if a new sentence starts
        return starts_sentence
    m = _WORD_BEFORE_DOT.search(text[max(sent_start, i - 20) : i + 1])
    if m:
        word = m.group(1).lower()
        if word in _TITLES or word in _NEVER_FINAL:
            return False
        if len(word) == 1 and m.group(1).isupper():
            return False  # an initial: "J. R. R. Tolkien"
        if word in _MAYBE_FINAL or "." in word:
            return first.isupper()
    return starts_sentence
