"""Tags, rules and suggestions: the user's decisions always win, rejections stick."""

from __future__ import annotations

import pytest

from desktop.curation import rules, suggest, tags
from desktop.curation.feedback import events
from tests.test_curation_library import (
    TOPICS,
    ids_by_title,
    library_store_fixture,  # noqa: F401
    open_library,
    topic_of,
)


def test_create_rename_hierarchy_and_counts(store):
    parent = tags.create_tag(store, "Hobbies")
    child = tags.create_tag(store, " Gardening ", parent_id=parent)
    assert tags.create_tag(store, "gardening", parent_id=parent) == child  # same name: same tag
    tags.rename_tag(store, child, "Garden")
    listed = {t["id"]: t for t in tags.list_tags(store)}
    assert listed[child]["name"] == "Garden" and listed[child]["parent_id"] == parent
    assert listed[child]["depth"] == 1 and listed[child]["learnable"] is True
    other = tags.create_tag(store, "Other")
    with pytest.raises(tags.TagError):
        tags.rename_tag(store, other, "hobbies")  # a sibling already has that name
    with pytest.raises(tags.TagError):
        tags.move_tag(store, parent, child)  # not under its own child


def test_accept_reject_selection_records_feedback(store):
    ids = ids_by_title(store)
    tag = tags.create_tag(store, "Baking")
    before = len(events(store, ["tag_accept", "tag_reject"]))
    assert tags.accept(store, [ids["Bread"], ids["Cake"]], tag) == 2
    tags.reject(store, [ids["Soup"]], tag)
    states = {t["name"]: t["state"] for t in tags.item_tags(store, ids["Bread"])}
    assert states["Baking"] == "accepted"
    assert tags.item_tags(store, ids["Soup"])[0]["state"] == "rejected"
    assert len(events(store, ["tag_accept", "tag_reject"])) == before + 3
    row = next(t for t in tags.list_tags(store) if t["id"] == tag)
    assert (row["accepted"], row["rejected"]) == (2, 1)


def test_merge_keeps_target_rejections_and_moves_rules_and_children(store):
    ids = ids_by_title(store)
    source = tags.create_tag(store, "Astro")
    target = tags.create_tag(store, "Space")
    child = tags.create_tag(store, "Planets", parent_id=source)
    rules.add_rule(store, source, "keyword", "telescope")
    tags.accept(store, [ids["Comet"], ids["Telescope"]], source)
    tags.reject(store, [ids["Comet"]], target)
    tags.merge_tags(store, source, target)
    assert {t["id"] for t in tags.list_tags(store)} >= {target, child}
    assert source not in {t["id"] for t in tags.list_tags(store)}
    state = {t["tag_id"]: t["state"] for t in tags.item_tags(store, ids["Comet"])}
    assert state[target] == "rejected"  # the user's "no" on the target stays
    state = {t["tag_id"]: t["state"] for t in tags.item_tags(store, ids["Telescope"])}
    assert state[target] == "accepted"
    assert [r["tag_id"] for r in rules.list_rules(store) if r["pattern"] == "telescope"] == [target]
    assert next(t for t in tags.list_tags(store) if t["id"] == child)["parent_id"] == target
    tags.delete_tag(store, target)
    assert next(t for t in tags.list_tags(store) if t["id"] == child)["parent_id"] is None


def test_invalid_regex_is_a_clear_error(store):
    tag = tags.create_tag(store, "Regex test")
    with pytest.raises(ValueError, match="not valid"):
        rules.add_rule(store, tag, "regex", "(unclosed")
    with pytest.raises(ValueError, match="keyword or a regex"):
        rules.add_rule(store, tag, "glob", "*.md")


def test_rules_suggest_and_rejection_sticks_through_retraining(store):
    ids = ids_by_title(store)
    topics = topic_of(store)
    sport = tags.create_tag(store, "Sport")
    rules.add_rule(store, sport, "regex", r"\b(striker|midfielder)\b")
    suggest.suggest_tags(store)
    pending = {(s["item_id"], s["tag_id"]): s for s in tags.pending_suggestions(store, sport)}
    assert (ids["Derby"], sport) in pending and pending[(ids["Derby"], sport)]["source"] == "rule"
    # Neither word in it: no rule match (the taxonomy head may still see sport in it).
    assert pending.get((ids["Cup final"], sport), {}).get("source") != "rule"

    # The user accepts most football items and rejects one the rule proposed.
    football = [i for i, t in topics.items() if t == "football"]
    rejected = ids["Transfer"]
    tags.accept(store, [i for i in football if i != rejected], sport)
    tags.reject(store, [rejected], sport)
    cooking = [i for i, t in topics.items() if t == "cooking"]
    food = tags.create_tag(store, "Food")
    tags.accept(store, cooking[:4], food)
    assert suggest.retrain_if_needed(store) is True
    assert suggest.retrain_if_needed(store) is False  # nothing changed: no work

    garden = [i for i, t in topics.items() if t == "garden"]
    for step in range(2):
        suggest.suggest_tags(store)
        state = {t["tag_id"]: t for t in tags.item_tags(store, rejected)}
        assert state[sport]["state"] == "rejected" and state[sport]["source"] == "user"
        assert all(s["item_id"] != rejected or s["tag_id"] != sport
                   for s in tags.pending_suggestions(store))
        # Another decision changes the labels: the heads retrain, the rejection still holds.
        if step == 0:
            tags.accept(store, [cooking[4]], food)
        else:
            tags.reject(store, [garden[0]], food)
        assert suggest.retrain_if_needed(store) is True

    learned = [s for s in tags.pending_suggestions(store) if s["source"] == "learned"]
    assert all(s["confidence"] >= suggest.MIN_CONFIDENCE for s in learned)


def test_learnable_off_withdraws_model_suggestions(store):
    food = tags.find_tag(store, "Food")
    tags.set_learnable(store, food, False)
    suggest.suggest_tags(store)
    assert not [s for s in tags.pending_suggestions(store, food) if s["source"] != "rule"]
    tags.set_learnable(store, food, True)


def test_taxonomy_tags_and_zero_shot_suggestions(tmp_path):
    store = open_library(tmp_path)  # fresh: no user tag named like a label yet
    made = tags.ensure_taxonomy_tags(store)
    assert len(made) == 17 and tags.ensure_taxonomy_tags(store) == made  # idempotent
    suggest.suggest_tags(store)
    ids = ids_by_title(store)
    sport_label = next(t for t in tags.list_tags(store) if t["taxonomy_id"] == "medtop:15000000")
    sugg = {s["item_id"] for s in tags.pending_suggestions(store, sport_label["id"])
            if s["source"] == "taxonomy"}
    football = {ids[t] for t, _ in TOPICS["football"]}
    assert sugg & football, "the taxonomy head should see football as sport"
    # Rejecting a taxonomy suggestion sticks too.
    victim = sorted(sugg & football)[0]
    tags.reject(store, [victim], sport_label["id"])
    suggest.suggest_tags(store)
    state = {t["tag_id"]: t["state"] for t in tags.item_tags(store, victim)}
    assert state[sport_label["id"]] == "rejected"
