"""`curio embed`, `curio tag`, `curio summarize`: the model stages from a terminal."""

from __future__ import annotations

import argparse
import sys

from desktop import pipeline
from desktop.cli import (
    EXIT_MODEL,
    EXIT_NOT_FOUND,
    EXIT_OK,
    TerminalProgress,
    brief,
    command,
    emit,
    open_store,
)

from .runtime import ModelError


def _run_stage(args: argparse.Namespace, stage) -> tuple[pipeline.RunReport, int]:
    store = open_store(args)
    report = pipeline.RunReport()
    progress = TerminalProgress(sys.stderr.isatty() and not args.json)
    stage(store, pipeline.Control(), progress, report)
    progress(pipeline.Progress("done", 1, 1, 0.0))
    if report.model_error:
        print(f"curio: {report.model_error}", file=sys.stderr)
        return report, EXIT_MODEL
    return report, EXIT_OK


@command("embed", "compute the vectors of items whose text or model changed", lambda p: None)
def cmd_embed(args: argparse.Namespace) -> int:
    from .stages import embed_items

    report, code = _run_stage(args, embed_items)
    emit(args, {"embedded": report.embedded}, lambda: f"{report.embedded} items embedded")
    return code


@command("tag", "refresh tag suggestions (taxonomy, learned heads, rules) and show them",
         lambda p: p.add_argument("ids", nargs="*", type=int, help="items to show (default: counts)"))
def cmd_tag(args: argparse.Namespace) -> int:
    from desktop.curation import suggest, tags

    store = open_store(args)
    try:
        suggest.retrain_if_needed(store)
        written = suggest.suggest_tags(store, args.ids or None)
    except ModelError as exc:
        print(f"curio: {exc}", file=sys.stderr)
        return EXIT_MODEL
    data = []
    for item_id in args.ids:
        item = store.item(item_id)
        if item is None:
            print(f"curio: no item {item_id}", file=sys.stderr)
            return EXIT_NOT_FOUND
        data.append(brief(item, tags=[
            {"tag": t["name"], "state": t["state"], "confidence": t["confidence"],
             "source": t["source"]} for t in tags.item_tags(store, item_id)]))

    def text() -> str:
        lines = [f"{written} suggestions written"]
        for entry in data:
            lines.append(f"{entry['id']:>6}  {entry['title']}")
            lines += [f"        {t['tag']}: {t['state']}"
                      + (f" ({t['confidence']:.2f}, {t['source']})" if t["confidence"] else "")
                      for t in entry["tags"]]
        return "\n".join(lines)

    emit(args, {"suggested": written, "items": data} if data else {"suggested": written}, text)
    return EXIT_OK


def _summarize_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int)
    p.add_argument("--sentences", type=int, default=3, help="at most this many sentences")
    p.add_argument("--chars", type=int, default=None, help="at most this many characters")


@command("summarize", "an extractive summary and the keyphrases of one item", _summarize_args)
def cmd_summarize(args: argparse.Namespace) -> int:
    from .embed import get_embedder
    from .keyphrases import extract_keyphrases
    from .stages import item_text
    from .summarize import summarize

    store = open_store(args, readonly=True)
    item = store.item(args.id, with_body=True)
    if item is None:
        print(f"curio: no item {args.id}", file=sys.stderr)
        return EXIT_NOT_FOUND
    try:
        embedder = get_embedder()
        summary = summarize(item["body"], embedder, max_sentences=args.sentences,
                            max_chars=args.chars)
        phrases = extract_keyphrases(item_text(item), embedder)
    except ModelError as exc:
        print(f"curio: {exc}", file=sys.stderr)
        return EXIT_MODEL
    data = brief(item, summary=summary.text, sentences=summary.sentences,
                 keyphrases=[p.phrase for p in phrases], model_id=summary.model_id)
    emit(args, data, lambda: f"{data['title']}\n\n{summary.text or '(no sentences to summarise)'}"
         f"\n\nkeyphrases: {', '.join(data['keyphrases'])}")
    return EXIT_OK


@command("embedder", "show or set the catalog's embedder (auto picks by the library's languages)",
         lambda p: p.add_argument("name", nargs="?", help="auto or a shipped embedder name"))
def cmd_embedder(args: argparse.Namespace) -> int:
    from . import choice
    from .runtime import load_manifest

    store = open_store(args)
    try:
        if args.name:
            choice.set_choice(store, args.name)
        chosen = choice.chosen_embedder(store)
    except ModelError as exc:
        print(f"curio: {exc}", file=sys.stderr)
        return EXIT_MODEL
    data = {"setting": choice.get_choice(store), "embedder": chosen,
            "available": [s.name for s in load_manifest().by_task("embedding")],
            "cjk_share": round(choice.cjk_share(store), 3)}
    emit(args, data, lambda: f"embedder: {chosen} (setting: {data['setting']}; "
         f"{data['cjk_share']:.0%} of items in CJK scripts); run `curio index` to re-embed")
    return EXIT_OK
