"""The hybrid recommender's signals, each on its own: structured reasons, tags, behavioural
co-occurrence, people sharing a catalog, recency of interest, exclusions, duplicates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.curation import feedback, recommend_explain, tags
from desktop.curation import recommend as recommend_module
from desktop.curation.clusters import build_clusters, cluster_of
from desktop.curation.recommend import CONTENT_ONLY, HYBRID, load_profile, recommend
from desktop.curation.recommend_cooc import CoOccurrence, table_for
from tests.test_curation_library import ids_by_title, open_library, topic_of

KINDS = {"liked", "tag", "co", "cluster", "explore", "start"}


@pytest.fixture()
def store(tmp_path):
    s = open_library(tmp_path / "signals")
    build_clusters(s, k=4)
    yield s
    s.close()


def titles_of(store) -> dict[int, str]:
    return {i: t for t, i in ids_by_title(store).items()}


def test_every_reason_is_structured_and_names_its_subject(store):
    ids, names = ids_by_title(store), titles_of(store)
    cold = recommend(store, limit=6)
    clusters = {c for c in cluster_of(store).values()}
    for r in cold:
        assert r["why"]["kind"] == "start" and r["why"]["cluster_id"] in clusters
        assert r["reason"] == recommend_explain.sentence(r["why"])
    liked = {ids["Mars rover"], ids["Soup"]}
    for item_id in liked:
        feedback.record(store, item_id, "like")
    recs = recommend(store, limit=8)
    assert {r["why"]["kind"] for r in recs} <= KINDS
    because = [r for r in recs if r["why"]["kind"] == "liked"]
    assert because
    for r in recs:
        why = r["why"]
        assert r["reason"] == recommend_explain.sentence(why) and why["subject"]
        if why["kind"] == "liked":
            assert why["item_id"] in liked and why["subject"] == names[why["item_id"]]
            assert r["reason"] == f"because you liked {names[why['item_id']]}"


def test_a_liked_tag_lifts_items_of_another_topic_and_says_so(store):
    ids = ids_by_title(store)
    feedback.record(store, ids["Bread"], "like")
    feedback.record(store, ids["Cake"], "like")
    before = [r["id"] for r in recommend(store, limit=20)]
    # The user tagged what they liked "weekend"; the model suggests it for the lawn too.
    weekend = tags.create_tag(store, "weekend")
    tags.accept(store, [ids["Bread"], ids["Cake"]], weekend)
    with store.transaction() as conn:
        conn.execute("INSERT INTO item_tags (item_id, tag_id, state, confidence, source, "
                     "updated_at) VALUES (?, ?, 'suggested', 0.9, 'model', '2026-01-01')",
                     (ids["Lawn"], weekend))
    recs = recommend(store, limit=20)
    after = [r["id"] for r in recs]
    assert after.index(ids["Lawn"]) < before.index(ids["Lawn"])
    lawn = next(r for r in recs if r["id"] == ids["Lawn"])
    assert lawn["why"] == {"kind": "tag", "subject": "weekend", "tag_id": weekend}
    assert lawn["reason"] == "tagged weekend"


def test_items_read_together_by_others_are_recommended_with_their_link(store):
    ids, topics = ids_by_title(store), topic_of(store)
    # Other people of the catalog read the compost article right after the Mars rover.
    for person in ("ann", "bob", "cy"):
        session = f"{person}/evening"
        for title in ("Mars rover", "Compost"):
            feedback.record(store, ids[title], "open", session=session)
            feedback.record(store, ids[title], "like", session=session)
    feedback.record(store, ids["Mars rover"], "like", session="me/visit1")
    recs = recommend(store, limit=5, person="me")
    assert ids["Compost"] in [r["id"] for r in recs]  # nothing in its text says space
    compost = next(r for r in recs if r["id"] == ids["Compost"])
    assert compost["why"]["kind"] == "co" and compost["why"]["item_id"] == ids["Mars rover"]
    assert compost["reason"] == "often opened with Mars rover"
    content = recommend(store, limit=5, person="me", blend=CONTENT_ONLY)
    assert ids["Compost"] not in [r["id"] for r in content]
    assert all(topics[r["id"]] == "space" for r in content[:3])


def test_a_persons_list_learns_from_that_persons_events_only(store):
    ids = ids_by_title(store)
    feedback.record(store, ids["Derby"], "like", session="ann/monday")
    feedback.record(store, ids["Roses"], "like", session="bob/monday")
    assert set(load_profile(store, person="ann").positives) == {ids["Derby"]}
    assert set(load_profile(store, person="bob").positives) == {ids["Roses"]}
    assert set(load_profile(store).positives) == {ids["Derby"], ids["Roses"]}
    ann = recommend(store, limit=3, person="ann", explore=False)
    topics = topic_of(store)
    assert [topics[r["id"]] for r in ann] == ["football"] * 3
    with pytest.raises(feedback.FeedbackError, match="person"):
        recommend(store, person="a/b")
    assert feedback.person_of("ann/monday") == "ann" and feedback.person_of("monday") is None


def test_newer_feedback_weighs_more(store):
    ids, topics = ids_by_title(store), topic_of(store)
    for title in ("Mars rover", "Telescope", "Moon mission"):
        feedback.record(store, ids[title], "like")
    for title in ("Derby", "Transfer", "Coach"):
        feedback.record(store, ids[title], "like")
    drifting = replace(HYBRID, half_life=2.0)
    profile = load_profile(store, half_life=2.0)
    assert profile.signal[ids["Coach"]] > 2 * profile.signal[ids["Mars rover"]]
    flat = load_profile(store, half_life=None)
    assert flat.signal[ids["Coach"]] == flat.signal[ids["Mars rover"]]
    recs = recommend(store, limit=4, blend=drifting, explore=False)
    assert [topics[r["id"]] for r in recs[:2]] == ["football"] * 2, recs


def test_hidden_and_disliked_never_shown_even_when_the_list_runs_short(store):
    ids = ids_by_title(store)
    feedback.record(store, ids["Comet"], "hide")
    feedback.record(store, ids["Pasta"], "hide", session="ann/x")  # hidden by anyone: hidden
    feedback.record(store, ids["Lawn"], "dislike")
    cold = {r["id"] for r in recommend(store, limit=50)}
    assert not cold & {ids["Comet"], ids["Pasta"], ids["Lawn"]}
    feedback.record(store, ids["Telescope"], "like")
    for title in ("Derby", "Bread", "Roses"):
        feedback.record(store, ids[title], "open")
    warm = {r["id"] for r in recommend(store, limit=50)}  # more than the library holds
    assert not warm & {ids["Comet"], ids["Pasta"], ids["Lawn"], ids["Telescope"]}
    assert ids["Derby"] in warm  # opened, not judged: may come back when the list runs short
    feedback.record(store, ids["Pasta"], "unhide", session="ann/x")
    assert ids["Pasta"] in {r["id"] for r in recommend(store, limit=50)}


def test_the_top_of_the_list_shows_one_copy_of_a_duplicate(store):
    ids = ids_by_title(store)
    feedback.record(store, ids["Cake"], "like")
    feedback.record(store, ids["Soup"], "like")
    top = [r["id"] for r in recommend(store, limit=4, explore=False)]
    assert ids["Bread"] in top or ids["Bread (copy)"] in top
    assert not {ids["Bread"], ids["Bread (copy)"]} <= set(top)
    plain = [r["id"] for r in recommend(store, limit=4, explore=False,
                                        blend=replace(HYBRID, diversify=False))]
    assert {ids["Bread"], ids["Bread (copy)"]} <= set(plain)  # what the diversity removes


def test_cooccurrence_table_follows_the_events_incrementally(store):
    ids = ids_by_title(store)
    a, b, c = ids["Derby"], ids["Roses"], ids["Soup"]
    for item_id in (a, b, c):
        feedback.record(store, item_id, "open", session="s1")
    feedback.record(store, c, "dislike", session="s1")  # opened, then found not to taste
    feedback.record(store, a, "like", session="s2")
    feedback.record(store, b, "open", session="s2")
    table = table_for(store)
    assert table.related(a)[b] > 0 and c not in table.related(a)
    assert table_for(store) is table  # nothing new: nothing re-read
    feedback.record(store, c, "open", session="s2")
    grown = table_for(store)
    rebuilt = CoOccurrence()
    rebuilt.fold(store.conn.execute(
        "SELECT id, item_id, kind, value, session FROM events ORDER BY id").fetchall())
    assert grown.related(a) == rebuilt.related(a) and c in grown.related(a)
    store.conn.execute("DELETE FROM events WHERE session = 's2'")
    assert c not in table_for(store).related(a)  # deleted events: rebuilt


def test_the_exploring_pick_is_on_the_first_page_of_a_long_list(store):
    ids = ids_by_title(store)
    feedback.record(store, ids["Mars rover"], "like")
    recs = recommend(store, limit=20)  # the UI asks for twice the page it shows
    kinds = [r["why"]["kind"] for r in recs]
    assert "explore" in kinds[:10], kinds
    novel = recs[kinds.index("explore")]
    assert novel["why"]["cluster_id"] != cluster_of(store)[ids["Mars rover"]]
    assert len({r["id"] for r in recs}) == len(recs) == 20
    assert "explore" not in [r["why"]["kind"] for r in recommend(store, limit=20, explore=False)]


def test_items_shown_and_passed_over_become_weak_negatives(store):
    ids = ids_by_title(store)
    feedback.record(store, ids["Mars rover"], "like", session="me/visit0")
    first = [r["id"] for r in recommend(store, limit=4, person="me", explore=False)]
    passed, opened = first[0], first[1]
    for visit in (1, 2):  # For you showed the page twice; the user opened one item only
        feedback.record_many(store, first, "shown", session=f"me/visit{visit}")
    feedback.record(store, opened, "open", session="me/visit2")
    profile = load_profile(store, person="me", impressions=True)
    assert profile.ignored[passed] == 2 and -1.0 < profile.signal[passed] < -0.05
    assert opened not in profile.ignored and opened in profile.seen
    assert passed not in profile.seen  # still recommendable, only lower
    assert passed not in load_profile(store, person="me").signal  # "shown" alone: nothing
    after = [r["id"] for r in recommend(store, limit=20, person="me", explore=False)]
    assert after.index(passed) > 0
    content = [r["id"] for r in recommend(store, limit=4, person="me", blend=CONTENT_ONLY)]
    assert content[0] == passed  # the baseline ignores impressions


def test_only_the_latest_impressions_count(store, monkeypatch):
    ids = ids_by_title(store)
    feedback.record(store, ids["Derby"], "shown", session="me/old")
    feedback.record_many(store, [ids["Roses"], ids["Soup"], ids["Cake"]], "shown", session="me/new")
    assert ids["Derby"] in load_profile(store, person="me", impressions=True).ignored
    monkeypatch.setattr(recommend_module, "MAX_SHOWN", 3)
    ignored = load_profile(store, person="me", impressions=True).ignored
    assert set(ignored) == {ids["Roses"], ids["Soup"], ids["Cake"]}


def test_the_app_relates_items_read_in_one_sitting(store, monkeypatch):
    from desktop.ui import core

    clock = [1_000_000.0]
    monkeypatch.setattr(core, "_sitting", feedback.Sitting(clock=lambda: clock[0]))
    ids = ids_by_title(store)
    core.record_feedback(store, [ids["Mars rover"]], "open")
    clock[0] += 600  # ten minutes later, same sitting
    core.record_feedback(store, [ids["Compost"]], "like")
    clock[0] += feedback.SITTING_GAP + 1  # after a break: a new sitting
    core.record_feedback(store, [ids["Soup"]], "open")
    sessions = [s for (s,) in store.conn.execute("SELECT session FROM events ORDER BY id")]
    assert sessions[0] == sessions[1] != sessions[2]
    assert all(s and feedback.person_of(s) is None for s in sessions)  # the user's own
    related = table_for(store).related(ids["Mars rover"])
    assert ids["Compost"] in related and ids["Soup"] not in related
