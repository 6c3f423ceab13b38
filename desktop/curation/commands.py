"""`curio similar|cluster|recommend|feedback|tags|duplicates`: curation from the terminal.

A thin layer: parse, call desktop.curation, print (or --json). Every result carries id,
path and title, and the score or reason that put it there.
"""

from __future__ import annotations

import argparse
import sys

from desktop.cli import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, brief, command, emit, open_store

from . import clusters, feedback, recommend, rules, similar, suggest, tags


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"curio: {message}", file=sys.stderr)
    return code


def _similar_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help="item id")
    p.add_argument("--limit", type=int, default=10)


@command("similar", "items related to one item, and its duplicates", _similar_args)
def cmd_similar(args: argparse.Namespace) -> int:
    store = open_store(args)
    if store.item(args.id) is None:
        return _fail(f"no item {args.id}", EXIT_NOT_FOUND)
    result = similar.similar_items(store, args.id, limit=args.limit)

    def text() -> str:
        lines = [f"{r['id']:>6}  {r['score']:.3f}  {r['title']}  ({r['path']})"
                 for r in result["similar"]] or ["no related items above the threshold"]
        lines += [f"{d['id']:>6}  duplicate ({d['reason']})  {d['title']}  ({d['path']})"
                  for d in result["duplicates"]]
        return "\n".join(lines)

    emit(args, result, text)
    return EXIT_OK if result["similar"] or result["duplicates"] else EXIT_NOT_FOUND


@command("cluster", "group the library into topics and lay out the map", lambda p: p.add_argument(
    "--k", type=int, default=None, help="number of topics (default: chosen automatically)"))
def cmd_cluster(args: argparse.Namespace) -> int:
    if args.k is not None and args.k < 1:
        return _fail("--k must be 1 or more")
    store = open_store(args)
    result = clusters.build_clusters(store, k=args.k)
    emit(args, result, lambda: "\n".join(
        f"{c['id']:>4}  {c['size']:>6} items  {c['label']}   [{', '.join(c['terms'])}]"
        for c in result) or "no items with vectors yet: index with models first")
    return EXIT_OK if result else EXIT_NOT_FOUND


def _recommend_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--session", default=None)


@command("recommend", "items you may like next, with the reason", _recommend_args)
def cmd_recommend(args: argparse.Namespace) -> int:
    store = open_store(args)
    recs = recommend.recommend(store, limit=args.limit, session=args.session)
    data = [brief(r, score=r["score"], reason=r["reason"]) for r in recs]
    emit(args, data, lambda: "\n".join(
        f"{r['id']:>6}  {r['title']}  — {r['reason']}\n        {r['path']}" for r in data))
    return EXIT_OK if recs else EXIT_NOT_FOUND


def _feedback_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int, help="item id")
    p.add_argument("kind", choices=sorted(feedback.KINDS - {"tag_accept", "tag_reject"}))
    p.add_argument("value", nargs="?", type=float, help="rating 1-5, or dwell seconds")
    p.add_argument("--session", default=None)


@command("feedback", "tell Curio what you think of an item", _feedback_args)
def cmd_feedback(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        event = feedback.record(store, args.id, args.kind, args.value, args.session)
    except feedback.FeedbackError as exc:
        return _fail(str(exc), EXIT_NOT_FOUND if "no item" in str(exc) else EXIT_USAGE)
    item = store.item(args.id)
    emit(args, brief(item, event=event, kind=args.kind),
         lambda: f"{args.kind} recorded for {item['title']}")
    return EXIT_OK


TAG_ACTIONS = ("list", "create", "rename", "merge", "accept", "reject", "suggestions",
               "learnable", "rule", "suggest")


def _tags_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=TAG_ACTIONS, help=(
        "list | create NAME [--parent TAG] | rename TAG NAME | merge SRC DST | accept ID TAG | "
        "reject ID TAG | suggestions [TAG] | learnable TAG on|off | rule TAG keyword|regex "
        "PATTERN | suggest (refresh suggestions)"))
    p.add_argument("operands", nargs="*")
    p.add_argument("--parent", default=None, help="parent tag (create)")
    p.add_argument("--limit", type=int, default=100)


_ARITY = {"list": (0, 0), "create": (1, 1), "rename": (2, 2), "merge": (2, 2),
          "accept": (2, 2), "reject": (2, 2), "suggestions": (0, 1), "learnable": (2, 2),
          "rule": (3, 3), "suggest": (0, 0)}


@command("tags", "list, create, rename, merge tags; accept, reject and review suggestions",
         _tags_args)
def cmd_tags(args: argparse.Namespace) -> int:
    low, high = _ARITY[args.action]
    ops = args.operands
    if not low <= len(ops) <= high:
        return _fail(f"tags {args.action}: expected {low}{'-' + str(high) if high > low else ''} "
                     f"operand(s), got {len(ops)}")
    store = open_store(args)
    try:
        return _tags(store, args, ops)
    except (tags.TagError, ValueError) as exc:
        return _fail(str(exc))


def _tags(store, args: argparse.Namespace, ops: list[str]) -> int:
    action = args.action
    if action == "list":
        data = tags.list_tags(store)
        emit(args, data, lambda: "\n".join(
            f"{t['id']:>5}  {'  ' * t['depth']}{t['name']}  ({t['accepted']} tagged, "
            f"{t['suggested']} suggested{'' if t['learnable'] else ', not learnable'})"
            for t in data))
        return EXIT_OK
    if action == "create":
        parent = tags.find_tag(store, args.parent) if args.parent else None
        tag_id = tags.create_tag(store, ops[0], parent)
        emit(args, {"id": tag_id, "name": ops[0]}, lambda: f"tag {tag_id}: {ops[0]}")
        return EXIT_OK
    if action == "rename":
        tag_id = tags.find_tag(store, ops[0])
        tags.rename_tag(store, tag_id, ops[1])
        emit(args, {"id": tag_id, "name": ops[1]}, lambda: f"tag {tag_id} is now {ops[1]}")
        return EXIT_OK
    if action == "merge":
        source, target = tags.find_tag(store, ops[0]), tags.find_tag(store, ops[1])
        tags.merge_tags(store, source, target)
        emit(args, {"merged": source, "into": target}, lambda: f"merged {source} into {target}")
        return EXIT_OK
    if action in ("accept", "reject"):
        if not ops[0].isdigit() or store.item(int(ops[0])) is None:
            return _fail(f"no item {ops[0]}", EXIT_NOT_FOUND)
        tag_id = tags.find_tag(store, ops[1])
        (tags.accept if action == "accept" else tags.reject)(store, [int(ops[0])], tag_id)
        item = store.item(int(ops[0]))
        emit(args, brief(item, tag_id=tag_id, state=action + "ed"),
             lambda: f"{item['title']}: tag {ops[1]} {action}ed")
        return EXIT_OK
    if action == "suggestions":
        tag_id = tags.find_tag(store, ops[0]) if ops else None
        data = tags.pending_suggestions(store, tag_id, limit=args.limit)
        data = [{"id": s["item_id"], "path": s["path"], "title": s["title"], "tag_id": s["tag_id"],
                 "tag": s["name"], "score": round(s["confidence"], 3), "source": s["source"]}
                for s in data]
        emit(args, data, lambda: "\n".join(
            f"{s['id']:>6}  {s['tag']}  {s['score']:.2f} ({s['source']})  {s['title']}"
            for s in data) or "no suggestions waiting")
        return EXIT_OK if data else EXIT_NOT_FOUND
    if action == "learnable":
        if ops[1] not in ("on", "off"):
            return _fail("learnable takes on or off")
        tag_id = tags.find_tag(store, ops[0])
        tags.set_learnable(store, tag_id, ops[1] == "on")
        emit(args, {"id": tag_id, "learnable": ops[1] == "on"},
             lambda: f"tag {tag_id}: learnable {ops[1]}")
        return EXIT_OK
    if action == "rule":
        tag_id = tags.find_tag(store, ops[0])
        rule_id = rules.add_rule(store, tag_id, ops[1], ops[2])
        emit(args, {"id": rule_id, "tag_id": tag_id, "kind": ops[1], "pattern": ops[2]},
             lambda: f"rule {rule_id} added to tag {tag_id}")
        return EXIT_OK
    written = suggest.suggest_tags(store)  # action == "suggest"
    emit(args, {"suggestions": written}, lambda: f"{written} suggestions written")
    return EXIT_OK


@command("duplicates", "groups of duplicate and near-duplicate items", lambda p: None)
def cmd_duplicates(args: argparse.Namespace) -> int:
    store = open_store(args)
    groups = similar.duplicate_groups(store)
    emit(args, groups, lambda: "\n\n".join(
        "\n".join(f"{m['id']:>6}  {m['title']}  ({m['path']})" for m in g) for g in groups)
        or "no duplicates")
    return EXIT_OK if groups else EXIT_NOT_FOUND
