"""Zero-shot taxonomy head and learned tag heads."""

from __future__ import annotations

import json

import numpy as np
import pytest

from desktop.ml import heads, runtime
from desktop.ml.classify import (
    LearnedHeads,
    TaxonomyClassifier,
    heads_are_current,
    labels_fingerprint,
    load_taxonomy,
    train_heads,
)

# ---------------------------------------------------------------- no model needed


def _clusters(
    seed: int, n: int, k: int = 3, dim: int = 384, noise_seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around k random centres (fixed by `seed`); labels 0..k-1 in turn."""
    centres = np.random.default_rng(seed).normal(size=(k, dim))
    rng = np.random.default_rng([seed, noise_seed])
    y = np.arange(n) % k
    x = centres[y] * 0.15 + rng.normal(size=(n, dim)) * 0.05
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), y


def _examples(x: np.ndarray, y: np.ndarray, names: list[str]) -> dict:
    return {name: (x[y == i], x[y != i]) for i, name in enumerate(names)}


def test_taxonomy_file_is_complete() -> None:
    tax = load_taxonomy()
    assert len(tax.labels) == 17
    assert len(set(tax.ids)) == 17 and all(i.startswith("medtop:") for i in tax.ids)
    for lab in tax.labels:
        for lang in ("en", "zh"):
            assert lab.names[lang] and lab.descriptions[lang] and len(lab.examples[lang]) >= 3
    assert len(tax.off_topic["en"]) >= 10


def test_taxonomy_graph_matches_numpy() -> None:
    rng = np.random.default_rng(0)
    protos = rng.normal(size=(384, 40))
    protos = (protos / np.linalg.norm(protos, axis=0)).astype(np.float32)
    owner = np.arange(40) % 17  # 2-3 prototypes per label
    pool = np.zeros((40, 17))
    pool[np.arange(40), owner] = 1.0 / np.bincount(owner)[owner]
    mean, sd = rng.normal(size=17) * 0.05, rng.uniform(0.05, 0.2, size=17)
    w, b = np.array([0.8, 1.2, 0.9]), -2.0
    x = rng.normal(size=(5, 384))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    session = runtime.session_from_bytes(heads.taxonomy_graph(protos, pool, 0.1, mean, sd, w, b))
    got = heads.run_head(session, x)
    want = heads.taxonomy_numpy(x, protos, pool, 0.1, mean, sd, w, b)
    assert got.shape == (5, 17)
    np.testing.assert_allclose(got, want, atol=1e-5)
    # Only the top label has a positive margin; the runner-up's margin is minus the top's.
    f = heads.taxonomy_features(heads.taxonomy_scores(x, protos, pool, 0.1), mean, sd)
    assert ((f[..., 2] > 0).sum(axis=1) == 1).all()


def test_learned_heads_save_load_onnx_matches_numpy(tmp_path) -> None:
    x, y = _clusters(1, 90)
    names = ["astronomy", "gardening", "recipes"]
    lh = train_heads(_examples(x, y, names), model_id="test@1")
    assert lh.tags == names
    xt, yt = _clusters(1, 30, noise_seed=1)  # same centres, unseen points
    pred = lh.predict(xt)
    assert pred.shape == (30, 3) and pred.min() >= 0 and pred.max() <= 1
    np.testing.assert_allclose(pred, lh.predict_numpy(xt), atol=1e-5)
    assert (pred.argmax(axis=1) == yt).mean() == 1.0

    path = tmp_path / "heads" / "tags.onnx"
    side = lh.save(path)
    meta = json.loads(side.read_text())
    assert meta["tags"] == names and meta["embedder_model_id"] == "test@1"
    assert meta["sha256"] == runtime.sha256_file(path)
    assert not list(path.parent.glob("*.part"))
    again = LearnedHeads.load(path)
    assert again.tags == names and again.fingerprint == lh.fingerprint
    np.testing.assert_allclose(again.predict(xt), pred, atol=1e-6)
    np.testing.assert_allclose(again.predict_numpy(xt), pred, atol=1e-5)


def test_tampered_head_file_is_refused(tmp_path) -> None:
    x, y = _clusters(2, 30)
    path = tmp_path / "tags.onnx"
    train_heads(_examples(x, y, ["a", "b", "c"]), model_id="test@1").save(path)
    meta = json.loads(heads.sidecar_path(path).read_text())
    meta["sha256"] = "0" * 64
    heads.sidecar_path(path).write_text(json.dumps(meta))
    runtime.unload_all()
    with pytest.raises(runtime.ModelFileCorrupt):
        LearnedHeads.load(path)


def test_tags_without_enough_positives_are_skipped() -> None:
    x, y = _clusters(3, 30)
    ex = _examples(x, y, ["a", "b", "c"])
    ex["rare"] = (x[:2], x[2:])
    lh = train_heads(ex, model_id="m")
    assert lh.tags == ["a", "b", "c"] and lh.skipped == ["rare"]
    assert lh.predict(x).shape == (30, 3)


def test_training_is_deterministic() -> None:
    x, y = _clusters(4, 60)
    a = train_heads(_examples(x, y, ["a", "b", "c"]), model_id="m")
    b = train_heads(_examples(x, y, ["a", "b", "c"]), model_id="m")
    np.testing.assert_array_equal(a.weights, b.weights)
    assert a.fingerprint == b.fingerprint


def test_labels_fingerprint(tmp_path) -> None:
    labels = {"recipes": ([1, 2, 3], [7, 8]), "garden": ([4, 5, 6], [1])}
    fp = labels_fingerprint(labels, "minilm@1")
    same = {"garden": ([6, 5, 4], [1]), "recipes": ([3, 2, 1], [8, 7])}
    assert labels_fingerprint(same, "minilm@1") == fp  # order does not matter
    assert labels_fingerprint({**labels, "garden": ([4, 5, 6, 9], [1])}, "minilm@1") != fp
    assert labels_fingerprint({**labels, "garden": ([4, 5, 6], [])}, "minilm@1") != fp
    assert labels_fingerprint(labels, "e5-small@1") != fp  # new embedder -> retrain

    x, y = _clusters(5, 30)
    path = tmp_path / "tags.onnx"
    assert not heads_are_current(path, fp)
    train_heads(_examples(x, y, ["a", "b", "c"]), model_id="m", fingerprint=fp).save(path)
    assert heads_are_current(path, fp)
    assert not heads_are_current(path, labels_fingerprint(same | {"x": ([1], [])}, "minilm@1"))


# ---------------------------------------------------------------- real model

SPORT = (
    "The home side won the cup final 3-1 after extra time. Their striker scored twice in the "
    "second half, and the goalkeeper saved a penalty. The coach praised the players and the "
    "fans who travelled to the stadium."
)
ECONOMY = (
    "The central bank raised its key interest rate by half a point to fight inflation. Share "
    "prices fell on the stock exchange, and economists expect slower growth and weaker "
    "exports next quarter as companies cut investment."
)
HEALTH = (
    "Doctors at the regional hospital report a rise in patients with flu and pneumonia. "
    "Health officials urge older people to get vaccinated, wash their hands and see a doctor "
    "if a fever lasts more than three days."
)
NAPKIN = (
    "Lay the napkin flat and fold it in half to make a rectangle. Fold the top corners down "
    "to the middle, turn it over, and tuck the ends into each other."
)
SHOPPING = "Tomatoes, rice, cheese, dish soap, a pack of AA batteries, paper towels."
FOX = "The quick brown fox jumps over the lazy dog."
# Like the sample library's articles (written for this test, not copied from it).
RIVER = (
    "Forty volunteers spent Saturday morning pulling rubbish out of the river: shopping "
    "trolleys, tyres, plastic bottles and fishing line that traps birds. The clean-up group "
    "says litter and sewage overflows still harm the fish, and asks the council for more bins."
)
MARATHON = (
    "Training for your first marathon: build up slowly over sixteen weeks, with three easy "
    "runs, one long run at the weekend and a rest day. Increase your weekly distance by no "
    "more than ten percent and taper in the last two weeks before race day."
)
BATTERY = (
    "How lithium-ion batteries age: every charge cycle grows a thin layer on the anode and "
    "wears the electrolyte. Engineers and chemists study this to make cells last longer."
)


@pytest.fixture(scope="module")
def embedder():
    from desktop.ml import embed

    return embed.get_embedder()  # the shipped model must load: no skipping


@pytest.fixture(scope="module")
def taxonomy(embedder, tmp_path_factory) -> TaxonomyClassifier:
    return TaxonomyClassifier.load_or_build(embedder, tmp_path_factory.mktemp("heads"))


def _docs(embedder, texts: list[str]) -> np.ndarray:
    return embedder.embed(texts, kind="passage")


def test_zero_shot_picks_the_right_topic(embedder, taxonomy) -> None:
    got = taxonomy.suggest(_docs(embedder, [SPORT, ECONOMY, HEALTH]))
    assert [s[0].label_id for s in got] == ["medtop:15000000", "medtop:04000000", "medtop:07000000"]
    assert got[0][0].label == "sport"
    assert all(0.5 <= s[0].confidence <= 1.0 for s in got)
    zh = taxonomy.suggest(_docs(embedder, [SPORT]), lang="zh")
    assert zh[0][0].label == "体育"


def test_zero_shot_abstains_on_off_topic_text(embedder, taxonomy) -> None:
    assert taxonomy.suggest(_docs(embedder, [NAPKIN, SHOPPING, FOX])) == [[], [], []]


def test_zero_shot_is_confident_on_article_like_texts(embedder, taxonomy) -> None:
    conf = taxonomy.confidences(_docs(embedder, [RIVER, MARATHON, BATTERY]))
    ids = taxonomy.taxonomy.ids
    assert conf[0, ids.index("medtop:06000000")] >= 0.5  # environment
    assert conf[1, ids.index("medtop:15000000")] >= 0.5  # sport
    assert ids[int(conf[2].argmax())] == "medtop:13000000"  # science and technology
    got = taxonomy.suggest(_docs(embedder, [RIVER, MARATHON]))
    assert [s[0].label_id for s in got] == ["medtop:06000000", "medtop:15000000"]


def test_taxonomy_head_is_cached_per_embedder(embedder, taxonomy) -> None:
    meta = heads.read_sidecar(taxonomy.path)
    assert meta["embedder_model_id"] == embedder.model_id
    cal = meta["calibration"]
    assert cal["source"] == "on_topic" and cal["on_topic_texts"] >= 17 * 4
    assert len(cal["label_mean"]) == 17 and cal["weights_s_z_margin"][2] > 0
    assert cal["cal_off_topic_rate"] <= 0.1
    again = TaxonomyClassifier.load_or_build(embedder, taxonomy.path.parent)
    assert again.path == taxonomy.path
    assert again.path.stat().st_mtime_ns == taxonomy.path.stat().st_mtime_ns  # not rebuilt


class _ShiftedEmbedder:
    """The real embedder seen through a fixed rotation-free distortion: every vector gets a
    shared component, so all cosines run higher — as with a re-exported or other embedder."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.model_id = inner.model_id + "-shifted"
        self.languages = ("en",)
        self._common = np.random.default_rng(7).normal(size=inner.dimensions)
        self._common /= np.linalg.norm(self._common)

    def embed(self, texts, kind="passage"):
        v = np.asarray(self.inner.embed(texts, kind=kind), dtype=np.float64) + 0.8 * self._common
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def test_new_embedder_gets_its_own_calibration(embedder, taxonomy, tmp_path) -> None:
    shifted = _ShiftedEmbedder(embedder)
    other = TaxonomyClassifier.load_or_build(shifted, tmp_path)
    assert other.path != taxonomy.path and other.embedder_model_id == shifted.model_id
    before, after = taxonomy.meta["calibration"], other.meta["calibration"]
    assert min(after["label_mean"]) > max(before["label_mean"])  # refitted, not copied
    got = other.suggest(shifted.embed([SPORT, ECONOMY, NAPKIN, SHOPPING]))
    assert [s[0].label_id for s in got[:2]] == ["medtop:15000000", "medtop:04000000"]
    assert got[2:] == [[], []]


# A publisher's own tags are often about genre, not topic: an obituary of a cyclist is still
# an obituary. Embeddings mostly encode topic, so zero-shot on the tag name struggles; a
# head learned from three examples per tag sees what the user means.
USER_TAGS = {
 "obituary": [
  "Margaret Hale, who coached the county hockey team for thirty years, died on Sunday aged "
  "84. She is survived by two sons.",
  "The chemist Tomas Berg, whose work on catalysts changed fertiliser production, has died "
  "at the age of 91.",
  "Jazz pianist Leo Marsh died peacefully at home last week. He recorded more than forty albums.",
  "Anna Kowalski, baker and owner of the corner bakery for half a century, passed away on "
  "Friday, aged 79.",
  "Former mayor Peter Dunn has died after a long illness. He leaves his wife, Ruth, and "
  "three grandchildren.",
  "The astronomer Helen Ray, who discovered two comets, died on Tuesday. Her funeral will "
  "be held on Monday.",
  "Racing cyclist Jan Vos, winner of three mountain stages, died in hospital on Wednesday at 68.",
 ],
 "review": [
  "The new Italian place on Mill Street serves a fine risotto, but the service was slow "
  "and the dessert forgettable. Three stars.",
  "This thriller starts strong, loses its way in the middle and never quite recovers. "
  "Worth a rental, not a cinema ticket.",
  "The budget headphones sound better than they have any right to, though the ear cushions "
  "wear out within months.",
  "Her second novel is braver than the first: the dialogue crackles, even if the ending "
  "feels rushed. Recommended.",
  "The orchestra played with energy, but the soloist was drowned out in the final "
  "movement. A mixed evening.",
  "A solid hiking boot: waterproof and comfortable from day one, but heavy. Four out of five.",
  "The museum's new wing is beautifully lit, yet the captions are too small to read. Go on "
  "a weekday.",
 ],
 "letters": [
  "Sir, I was dismayed to read that the council plans to close the library on Saturdays. "
  "Yours faithfully, J. Price.",
  "Your reporter's article on the marathon failed to mention the hundreds of volunteers "
  "who made it possible. Regards, a reader.",
  "Dear Editor, as a nurse for twenty years, I must disagree with last week's column on "
  "hospital waiting times.",
  "Sir, the new bus timetable makes it impossible for my neighbours to reach the market. "
  "Must we all buy cars?",
  "Dear Editor, thank you for the excellent feature on local birds; my grandchildren have "
  "started their own list.",
  "I write to correct your report: the bridge was opened in 1962, not 1966. Yours "
  "sincerely, H. Lund.",
  "Dear Sir, why does your paper give so much space to football and so little to the "
  "school orchestra?",
 ],
 "how-to": [
  "To replace a bicycle inner tube, release the brake, remove the wheel, lever off one "
  "side of the tyre and pull the tube out.",
  "First, preheat the oven. Then grease the tin, pour in the batter and bake until a "
  "skewer comes out clean.",
  "Open Settings, choose Accounts, then tap Add account and follow the steps on screen.",
  "Step 1: sand the old paint. Step 2: apply primer. Step 3: paint two thin coats, letting "
  "each dry overnight.",
  "To repot an orchid, soak the roots, trim the dead ones and settle the plant in fresh bark.",
  "Align the telescope's finder scope in daylight: point at a distant tree and turn the "
  "screws until both views match.",
  "Bleed the radiator by turning the valve a quarter turn with the key until water "
  "appears, then close it.",
 ],
}


def test_learned_heads_beat_zero_shot_on_user_tags(embedder) -> None:
    names = sorted(USER_TAGS)
    vecs = {t: _docs(embedder, USER_TAGS[t]) for t in names}
    train = {t: v[:3] for t, v in vecs.items()}
    test_x = np.vstack([vecs[t][3:] for t in names])
    test_y = np.repeat(np.arange(len(names)), 4)
    examples = {t: (train[t], np.vstack([train[o] for o in names if o != t])) for t in names}
    learned = train_heads(examples, model_id=embedder.model_id)
    learned_acc = (learned.predict(test_x).argmax(axis=1) == test_y).mean()
    # Zero-shot baseline: cosine to the embedded tag name.
    name_vecs = embedder.embed(names, kind="query")
    zero_acc = ((test_x @ name_vecs.T).argmax(axis=1) == test_y).mean()
    assert learned_acc >= 0.75
    assert learned_acc > zero_acc
