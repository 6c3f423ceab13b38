"""Split English, Chinese and mixed text into sentences that are exact slices of the input.

Summaries quote sentences verbatim, so every `Sentence` keeps its offsets into the original
text and its `text` is `original[start:end]`; nothing is rewritten or re-joined.

Documents (PDFs above all) carry lines that are about the document, not its content: page
headers and footers, "page 3 of 12", "Keywords: …", "DOI: …", "关键词：…". `metadata_lines`
finds them so summaries and keyphrases can read past them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences", "sentence_spans", "metadata_lines", "without_metadata"]


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


# ---------------------------------------------------------------- metadata lines

# Field labels whose whole line (and a bare list on the next line) describes the document.
_FIELD_RE = re.compile(
    r"^(?:key\s*words?|index\s+terms|doi|issn|isbn|received|accepted|revised|"
    r"published(?:\s+online)?|available\s+online|copyright|correspondence|"
    r"corresponding\s+authors?|e-?mail|tel|fax|jel(?:\s+classification)?|citation|"
    r"cite\s+(?:this(?:\s+article)?|as)|arxiv|url|"
    r"关键词|关键字|关 键 词|中图分类号|中图法分类号|文献标识码|文献标志码|文章编号|收稿日期|"
    r"修回日期|基金项目|作者简介|通讯作者|通信作者|引用格式|引用本文)\s*[:：—–]",
    re.IGNORECASE,
)
# Labels in front of real content: the content stays, the label goes.
_LABEL_RE = re.compile(
    r"^(?:(?:abstract|summary)\s*(?:[:：—–.]|$)|(?:摘\s*要|内容摘要|内容提要|提\s*要)\s*(?:[:：—–]|\s|$))"
    r"\s*",
    re.IGNORECASE,
)
_COPYRIGHT_RE = re.compile(r"^(?:©|\(c\)\s*\d{4}|all rights reserved|版权所有)", re.IGNORECASE)
# A line that is only a page number: "12", "- 12 -", "Page 3 of 12", "3/12", "第3页 共12页".
_PAGE_ONLY_RE = re.compile(
    r"^(?:[-–—\s]*\d{1,4}[-–—\s]*|(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|"
    r"\d{1,4}\s*(?:/|of)\s*\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"共\s*\d{1,4}\s*页(?:\s*[,，/]?\s*第\s*\d{1,4}\s*页)?)$",
    re.IGNORECASE,
)
# A short line naming a page ("Claims Court - page 3"): a running header or footer.
_PAGE_REF_RE = re.compile(r"\bpage\s+\d{1,4}\b|第\s*\d{1,4}\s*页", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?。！？][\"'”’」』）)]*$")
_HEADER_MAX_CHARS = 100  # running headers and footers are short


def metadata_lines(text: str) -> dict[int, int | None]:
    """Lines that describe the document rather than say something, by start offset.

    The value is None for a line to skip entirely (page numbers, running headers and
    footers, lines repeated across pages, "Keywords: …", "DOI: …", "关键词：…", copyright)
    or the offset where the content starts after a label to drop ("Abstract: …", "摘要：…").
    """
    lines = [(m.start(), m.group().rstrip("\n")) for m in re.finditer(r"[^\n]*\n?", text)
             if m.start() < len(text)]
    keys = [_repeat_key(raw) if len(raw.strip()) <= _HEADER_MAX_CHARS else "" for _, raw in lines]
    counts: dict[str, int] = {}
    variants: dict[str, set[str]] = {}  # a page number that changes marks a running header
    for (_, raw), key in zip(lines, keys, strict=True):
        if key:
            counts[key] = counts.get(key, 0) + 1
            variants.setdefault(key, set()).add(raw.strip())
    out: dict[int, int | None] = {}
    drop_list_after = False  # a bare "Keywords:" line: its list follows on the next line
    for (a, raw), key in zip(lines, keys, strict=True):
        body = raw.strip()
        if not body:
            continue
        lead = len(raw) - len(raw.lstrip())
        if drop_list_after:
            drop_list_after = False
            if len(body) <= 200 and not _SENTENCE_END_RE.search(body):
                out[a] = None
                continue
        field = _FIELD_RE.match(body)
        if field:
            out[a] = None
            drop_list_after = not body[field.end():].strip()
            continue
        short = len(body) <= _HEADER_MAX_CHARS and not _SENTENCE_END_RE.search(body)
        repeated = bool(key) and (counts[key] >= 3 or len(variants[key]) >= 2)
        if (
            _PAGE_ONLY_RE.match(body)
            or _COPYRIGHT_RE.match(body)
            or (short and _PAGE_REF_RE.search(body))
            or repeated
        ):
            out[a] = None
            continue
        label = _LABEL_RE.match(body)
        if label:
            rest = body[label.end():]
            out[a] = a + lead + label.end() if rest.strip() else None
    return out


def _repeat_key(line: str) -> str:
    """Running headers repeat with a changing page number: compare lines with digits masked."""
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def without_metadata(text: str) -> str:
    """`text` with its metadata lines blanked out (same length, so offsets still hold)."""
    skip = metadata_lines(text)
    if not skip:
        return text
    chars = list(text)
    for a, content in skip.items():
        end = text.find("\n", a)
        end = len(text) if end < 0 else end
        for i in range(a, end if content is None else content):
            chars[i] = " "
    return "".join(chars)


# ---------------------------------------------------------------- sentences


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, each an exact substring of it."""
    return [s.text for s in sentence_spans(text)]


def sentence_spans(text: str, skip_metadata: bool = False) -> list[Sentence]:
    """Sentences with offsets, paragraph number and position inside the paragraph.

    With `skip_metadata`, lines found by `metadata_lines` break paragraphs like blank lines
    and no sentence includes them; a dropped label ("Abstract:") starts a new paragraph.
    """
    skip = metadata_lines(text) if skip_metadata else {}
    out: list[Sentence] = []
    for para_no, (seg_start, seg_end) in enumerate(_segments(text, skip)):
        pos = 0
        for start, end in _split_segment(text, seg_start, seg_end):
            out.append(Sentence(text[start:end], start, end, para_no, pos))
            pos += 1
    return out


def _segments(text: str, skip: dict[int, int | None] | None = None) -> list[tuple[int, int]]:
    """Paragraphs, bullet items and heading lines: spans no sentence may cross."""
    skip = skip or {}
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
        content_from = skip.get(a, a)
        if not body or content_from is None:  # blank or metadata line: paragraph break
            if cur:
                segments.append(cur)
            cur, prev_line = None, ""
            continue
        bullet = _BULLET_RE.match(raw)
        content_start = a + (bullet.end() if bullet else len(raw) - len(raw.lstrip()))
        content_start = max(content_start, content_from)
        content_end = a + len(raw.rstrip())
        starts_new = (
            cur is None
            or content_from > a  # the content after a dropped label opens a paragraph
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
