"""Zero-shot taxonomy tags, English and Chinese, for both embedders: v1 head beside the current one.

    .venv/bin/python -m benchmarks.zeroshot_bench [--embedder NAME ...] [--db PATH] [--items]

Data:
- TEST halves of the labelled evaluation sets, never used to fit anything:
  benchmarks/zeroshot_eval.json (English) and benchmarks/zeroshot_eval_zh.json (Chinese),
  4 texts per IPTC label and 15 off-topic texts each.
- the bundled sample library, its English and its Chinese items, with the manifest topic
  mapped to an IPTC label; indexed (text only) into --db first when that file does not exist
  yet, then embedded by each embedder the way the pipeline does it.
- the CALIBRATION halves (shipped in the taxonomy file, used to fit the current head) are
  reported too, marked in-sample. An English-only embedder is calibrated on English only, so
  for it the Chinese calibration half is held out as well.

Per set: top-1 accuracy on on-topic texts; coverage = share of on-topic texts whose top label
reaches 0.5 (what curation/suggest.py shows); precision of those top suggestions; precision of
every suggestion (top 3 at >= 0.5, as the app offers them); off-topic false-positive rate;
and a reliability table (precision by confidence band). The v1 head (English prototypes,
one averaged prototype per label) is shown beside English sets as the peer.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop.ml import heads  # noqa: E402
from desktop.ml.classify import Taxonomy, TaxonomyClassifier, load_taxonomy  # noqa: E402

EVALS = {
    "en": ROOT / "benchmarks" / "zeroshot_eval.json",
    "zh": ROOT / "benchmarks" / "zeroshot_eval_zh.json",
}
EMBEDDERS = ["minilm-l6-v2", "multilingual-e5-small"]
SAMPLE = ROOT / "resources" / "sample"
MANIFEST = ROOT / "resources" / "sample_src" / "manifest.json"
MIN_CONFIDENCE = 0.5
TOP_K = 3
# The sample manifest's topics as IPTC top-level labels.
TOPIC_TO_IPTC = {
    "arts": "medtop:01000000",
    "law": "medtop:02000000",
    "economy": "medtop:04000000",
    "education": "medtop:05000000",
    "environment": "medtop:06000000",
    "health": "medtop:07000000",
    "travel": "medtop:10000000",  # lifestyle and leisure
    "politics": "medtop:11000000",
    "religion": "medtop:12000000",
    "science": "medtop:13000000",
    "society": "medtop:14000000",
    "sport": "medtop:15000000",
    "weather": "medtop:17000000",
}
V1_OFF_TOPIC = 20  # the v1 head was calibrated on the first 20 off-topic texts of the file

Scorer = Callable[[np.ndarray], np.ndarray]


# ---------------------------------------------------------------- the v1 head, in numpy


def old_head(embedder, taxonomy: Taxonomy) -> Scorer:
    """The v1 taxonomy head as shipped before: one normalised mean prototype per label
    (name, description, examples), z-score across labels, per-label thresholds above the
    off-topic texts' z, temperature from leave-one-out label texts."""
    def norm(m: np.ndarray) -> np.ndarray:
        return m / np.maximum(np.linalg.norm(m, axis=-1, keepdims=True), 1e-12)

    texts, owner = [], []
    for j, lab in enumerate(taxonomy.labels):
        for t in [lab.names["en"], lab.descriptions.get("en", "")] + lab.examples.get("en", []):
            if t:
                texts.append(t)
                owner.append(j)
    vecs = np.asarray(embedder.embed(texts, kind="query"), dtype=np.float64)
    owner_arr = np.asarray(owner)
    k = len(taxonomy.labels)
    sums = np.stack([vecs[owner_arr == j].sum(axis=0) for j in range(k)])
    protos = norm(sums)
    pos_z = []
    for i, j in enumerate(owner):
        p = protos.copy()
        p[j] = norm(sums[j] - vecs[i])
        pos_z.append(heads.zscores(vecs[i : i + 1] @ p.T)[0, j])
    off = taxonomy.off_topic["en"][:V1_OFF_TOPIC]
    off_z = heads.zscores(np.asarray(embedder.embed(off, kind="passage")) @ protos.T)
    floor = float(np.quantile(off_z.max(axis=1), 0.75))
    thr = np.maximum(off_z.max(axis=0) + 0.1, floor)
    gap = float(np.median(np.asarray(pos_z) - thr[owner_arr]))
    temp = float(np.clip(gap / np.log(4.0), 0.15, 1.0)) if gap > 0 else 0.5

    def score(x: np.ndarray) -> np.ndarray:
        z = heads.zscores(np.asarray(x, dtype=np.float64) @ protos.T)
        return 1.0 / (1.0 + np.exp(-(z - thr) / temp))

    return score


# ---------------------------------------------------------------- metrics


def metrics(conf: np.ndarray, gold: np.ndarray, off_conf: np.ndarray | None) -> dict[str, float]:
    top = conf.argmax(axis=1)
    top_conf = conf.max(axis=1)
    right = top == gold
    shown = top_conf >= MIN_CONFIDENCE
    out = {
        "n": float(len(gold)),
        "top1": float(right.mean()),
        "coverage": float(shown.mean()),
        "precision": float((right & shown).sum() / shown.sum()) if shown.any() else float("nan"),
    }
    # Every suggestion the app would offer: top 3 labels at >= 0.5.
    order = np.argsort(-conf, axis=1)[:, :TOP_K]
    picked = np.take_along_axis(conf, order, axis=1) >= MIN_CONFIDENCE
    n_sugg = int(picked.sum())
    ok = int((picked & (order == gold[:, None])).sum())
    out["all_precision"] = ok / n_sugg if n_sugg else float("nan")
    out["per_text"] = n_sugg / len(gold)
    if off_conf is not None and len(off_conf):
        out["off_fp"] = float((off_conf.max(axis=1) >= MIN_CONFIDENCE).mean())
    return out


def reliability(conf: np.ndarray, gold: np.ndarray) -> list[tuple[str, int, float]]:
    top, top_conf = conf.argmax(axis=1), conf.max(axis=1)
    rows = []
    for lo, hi in ((0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
        band = (top_conf >= lo) & (top_conf < hi)
        prec = float((top[band] == gold[band]).mean()) if band.any() else float("nan")
        rows.append((f"{lo:.1f}-{min(hi, 1.0):.1f}", int(band.sum()), prec))
    return rows


def fmt(m: dict[str, float]) -> str:
    parts = [
        f"top1 {m['top1']:.2f}",
        f"coverage {m['coverage']:.2f}",
        f"precision {m['precision']:.2f}",
        f"all-sugg precision {m['all_precision']:.2f} ({m['per_text']:.2f}/text)",
    ]
    if "off_fp" in m:
        parts.append(f"off-topic FP {m['off_fp']:.2f}")
    return " | ".join(parts)


# ---------------------------------------------------------------- data


def sample_library(db: Path, ids: list[str]) -> dict[str, tuple[list[str], list[str], np.ndarray]]:
    """Per language: titles, model texts (as the pipeline reads them) and gold label rows.

    The library is indexed into `db` without models when that file does not exist yet;
    each embedder then embeds the same texts, so both are judged on identical input.
    """
    if not db.exists():
        print(f"indexing {SAMPLE} into {db} (text only) ...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "desktop", "index", str(SAMPLE), "--db", str(db),
             "--no-models", "--no-thumbnails"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )
    from desktop.ml.stages import item_text

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    out: dict[str, tuple[list[str], list[str], list[int]]] = {}
    for item in json.loads(MANIFEST.read_text(encoding="utf-8")):
        row = conn.execute(
            "SELECT name, title, body FROM items WHERE path = ?",
            (str((SAMPLE / item["path"]).resolve()),),
        ).fetchone()
        if row is None:
            print(f"  (not in the catalog: {item['path']})")
            continue
        titles, texts, gold = out.setdefault(item["lang"], ([], [], []))
        titles.append(item["title"])
        texts.append(item_text(dict(row)))
        gold.append(ids.index(TOPIC_TO_IPTC[item["topic"]]))
    return {lang: (t, x, np.asarray(g)) for lang, (t, x, g) in out.items()}


def doc_vectors(embedder, texts: list[str]) -> np.ndarray:
    """Document vectors as the pipeline stores them (normalised mean of chunk vectors)."""
    return np.vstack([embedder.embed_document(t)[0] for t in texts])


def eval_set(path: Path, ids: list[str]) -> tuple[list[str], np.ndarray, list[str]]:
    ev = json.loads(path.read_text(encoding="utf-8"))
    on = [(t, ids.index(j)) for j, texts in ev["on_topic"].items() for t in texts]
    return [t for t, _ in on], np.array([g for _, g in on]), ev["off_topic"]


def run_embedder(name: str, taxonomy: Taxonomy, sample: dict, show_items: bool) -> None:
    from desktop.ml.embed import get_embedder

    embedder = get_embedder(name)
    ids = taxonomy.ids
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        new = TaxonomyClassifier.load_or_build(embedder, tmp)
        built = time.perf_counter() - t0
    old = old_head(embedder, taxonomy)
    cal = new.meta["calibration"]
    print(f"\n=== embedder {embedder.model_id}; head {new.model_id}; languages "
          f"{'+'.join(new.meta['languages'])}; built in {built:.1f} s")
    print(f"    calibration: {cal['on_topic_texts']} on-topic, {cal['off_topic_texts']} off-topic "
          f"texts; in-sample precision {cal['cal_precision']:.2f}, coverage "
          f"{cal['cal_coverage']:.2f}, off-topic {cal['cal_off_topic_rate']:.2f}")

    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray(embedder.embed(texts, kind="passage"), dtype=np.float32)

    sets = []
    for lang, path in EVALS.items():
        texts, gold, off = eval_set(path, ids)
        sets.append((f"TEST half, {lang}", lang, embed(texts), gold, embed(off)))
    for lang in ("en", "zh"):
        if lang in sample:
            titles, texts, gold = sample[lang]
            sets.append((f"sample library, {lang} ({len(titles)} items)", lang,
                         doc_vectors(embedder, texts), gold, None))
    for lang in ("en", "zh"):
        cal_on = [(t, ids.index(j)) for j, texts in taxonomy.on_topic.get(lang, {}).items()
                  for t in texts]
        if cal_on:
            sets.append((f"CALIBRATION half, {lang} (in-sample if calibrated on {lang})", lang,
                         embed([t for t, _ in cal_on]), np.array([g for _, g in cal_on]),
                         embed(taxonomy.off_topic[lang])))

    scorers: dict[str, Scorer] = {"old (v1)": old, "new": new.confidences}
    for title, lang, x, y, off in sets:
        print(f"\n{title}: {len(y)} on-topic" + (f", {len(off)} off-topic" if off is not None
                                                   else ""))
        # The v1 head only ever had English prototypes: shown beside English sets only.
        active = scorers if lang == "en" else {"new": new.confidences}
        for label, score in active.items():
            m = metrics(score(x), y, None if off is None else score(off))
            print(f"  {label:9s} {fmt(m)}")
        for label, score in active.items():
            bands = "  ".join(f"{b}: {n} texts, {p:.2f} right" for b, n, p
                              in reliability(score(x), y))
            print(f"  reliability {label:9s} {bands}")

    if show_items:
        for lang, (titles, texts, gold) in sample.items():
            print(f"\nsample library items ({lang}): gold | new top (conf)")
            names = [lab.names["en"] for lab in taxonomy.labels]
            conf = new.confidences(doc_vectors(embedder, texts))
            for i, t in enumerate(titles):
                b = conf[i].argmax()
                print(f"  {t[:40]:40s} {names[gold[i]][:14]:14s} | {names[b][:14]:14s} "
                      f"{conf[i, b]:.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/zs-text.sqlite3"),
                    help="text-only catalog of the sample library (indexed if missing)")
    ap.add_argument("--embedder", action="append", choices=EMBEDDERS,
                    help="embedder to measure (repeatable; default: both)")
    ap.add_argument("--items", action="store_true", help="list every sample item")
    args = ap.parse_args(argv)

    taxonomy = load_taxonomy()
    sample = sample_library(args.db, taxonomy.ids)
    for name in args.embedder or EMBEDDERS:
        run_embedder(name, taxonomy, sample, args.items)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
