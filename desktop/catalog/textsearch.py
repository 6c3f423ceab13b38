"""Full-text helpers shared by indexing and querying.

SQLite's unicode61 tokenizer treats a run of Chinese characters as one token, so a
two-character word inside a sentence could never match. We index each CJK character
as its own token and turn a Chinese query word into a phrase of its characters: FTS5
phrase matching then finds the word wherever its characters stand together.
"""

from __future__ import annotations

import re

# CJK ideographs, extension A, compatibility ideographs, kana and hangul syllables.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_CJK_CHAR = re.compile(f"([{_CJK}])")
_CJK_RUN = re.compile(f"[{_CJK}]")
_SPACES = re.compile(" +")
_TOKEN = re.compile(r'"[^"]*"?|\S+')


class QueryError(ValueError):
    """A search query that cannot be understood; the message tells the user why."""


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))


def segment_for_index(text: str) -> str:
    """Space out CJK characters so each becomes an FTS5 token."""
    if not text or not has_cjk(text):
        return text or ""
    return _CJK_CHAR.sub(r" \1 ", text)


def unsegment(text: str) -> str:
    """Undo segment_for_index for display (snippets, which may carry [ ] highlights)."""

    def join(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        cjk = bool(_CJK_RUN.match(before)) or bool(_CJK_RUN.match(after))
        glue = {before, after} <= set("[]") | {""} or (
            (bool(_CJK_RUN.match(before)) or before in "[]")
            and (bool(_CJK_RUN.match(after)) or after in "[]"))
        return "" if cjk and glue else " "

    return _SPACES.sub(join, text).strip()


def _phrase(words: str) -> str:
    tokens = [t for t in re.split(r"[^\w]+", segment_for_index(words)) if t]
    if not tokens:
        return ""
    return '"' + " ".join(tokens) + '"'


def to_fts_query(query: str) -> str:
    """Turn what a user types into a safe FTS5 MATCH expression.

    Supported: words (all must match), "exact phrases", OR between terms, a leading
    `-` to exclude a term, and a trailing `*` for a prefix. Everything else is quoted,
    so FTS5 syntax characters in a query can never cause an SQL error.
    """
    query = query.strip()
    if not query:
        raise QueryError("The search is empty: type a word to look for.")
    if query.count('"') % 2:
        raise QueryError('The search has an unclosed quote ("): close it or remove it.')
    positives: list[str] = []
    negatives: list[str] = []
    pending_or = False
    for raw in _TOKEN.findall(query):
        if raw == "OR":
            pending_or = bool(positives)
            continue
        negate = raw.startswith("-") and len(raw) > 1
        token = raw[1:] if negate else raw
        prefix = token.endswith("*") and not token.startswith('"')
        if token.startswith('"'):
            term = _phrase(token.strip('"'))
        else:
            term = _phrase(token.rstrip("*"))
            if term and prefix and not has_cjk(token):
                term += " *"
        if not term:
            continue
        if negate:
            negatives.append(term)
        elif pending_or and positives:
            positives[-1] = f"({positives[-1]} OR {term})"
        else:
            positives.append(term)
        pending_or = False
    if not positives:
        raise QueryError("The search needs at least one word to look for, not only exclusions.")
    expression = " AND ".join(positives)
    for term in negatives:
        expression = f"({expression}) NOT {term}"
    return expression
