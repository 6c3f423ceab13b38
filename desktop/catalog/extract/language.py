"""A cheap language guess for files that do not declare their language.

Script shares decide CJK, Cyrillic, Greek and Arabic text; for Latin-script text the
most frequent stopwords decide among a few European languages. Short or mixed text
gives None rather than a wrong answer.
"""

from __future__ import annotations

import re
from collections import Counter

_SAMPLE = 8_000
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to in is that it was for on with as are be this by not at from have "
        "or you he she they we his her which an but".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine zu den mit sich des auf für im dem von "
        "auch es ich sie wir aber wie noch".split()
    ),
    "fr": frozenset(
        "le la les et est des un une du en que qui dans pour pas sur au avec ce il elle "
        "sont mais nous vous aux".split()
    ),
    "es": frozenset(
        "el la los las y es de que en un una por con para no se del al lo como más pero sus está son".split()
    ),
    "it": frozenset(
        "il la di che e è un una per non in del della sono con si gli le al lo ma anche come questo".split()
    ),
    "nl": frozenset(
        "de het een en van is dat niet op te zijn met voor in er maar ook als bij om dit wat".split()
    ),
    "pt": frozenset(
        "o a os as e de que em um uma para com não do da no na por mais se é dos das mas".split()
    ),
}


# One regular expression per script: counting with findall runs in C, where a Python loop
# over every character cost milliseconds per file.
_SCRIPTS = {
    "kana": re.compile(r"[\u3040-\u30ff]"),
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"),
    "han": re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "greek": re.compile(r"[\u0370-\u03ff]"),
    "arabic": re.compile(r"[\u0600-\u06ff]"),
}
_LETTER = re.compile(r"[^\W\d_]")


def _script_counts(sample: str) -> Counter[str]:
    counts: Counter[str] = Counter({name: len(p.findall(sample)) for name, p in _SCRIPTS.items()})
    counts["latin"] = len(_LETTER.findall(sample)) - sum(counts.values())
    return counts


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the text's main language, or None when unsure."""
    sample = text[:_SAMPLE]
    counts = _script_counts(sample)
    letters = sum(counts.values())
    if letters < 20:
        return None
    cjk = counts["han"] + counts["kana"] + counts["hangul"]
    # One CJK character carries roughly a word, so a modest share already dominates.
    if cjk / letters > 0.3:
        if counts["kana"] > 0.1 * cjk:
            return "ja"
        if counts["hangul"] > 0.5 * cjk:
            return "ko"
        return "zh"
    for script, code in (("cyrillic", "ru"), ("greek", "el"), ("arabic", "ar")):
        if counts[script] / letters > 0.5:
            return code
    if counts["latin"] / letters < 0.5:
        return None
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 5:
        return None
    scores = {lang: sum(1 for w in words if w in stops) for lang, stops in _STOPWORDS.items()}
    best = max(scores, key=scores.__getitem__)
    ranked = sorted(scores.values(), reverse=True)
    # Demand real evidence: enough stopwords overall and a clear lead over the runner-up.
    if ranked[0] < max(2, 0.05 * len(words)) or ranked[0] < 1.3 * ranked[1]:
        return None
    return best
