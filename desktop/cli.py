"""`curio <command>`: the same core as the desktop app, for terminals and scripts.

Exit codes (stable, for scripts):
  0  success
  1  nothing found (search without hits, unknown item id)
  2  wrong usage (unknown command or option, missing argument)
  3  the catalog cannot be opened or is damaged
  4  the search query cannot be understood
  5  interrupted (Ctrl+C); finished work is kept and the next run resumes
  6  a model file is missing or damaged
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import paths, pipeline
from .catalog.store import CatalogError, Store
from .catalog.textsearch import QueryError

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_CATALOG, EXIT_QUERY, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 5
EXIT_MODEL = 6

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[Command, str, Callable[[argparse.ArgumentParser], None]]] = {}


def command(name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None]):
    def register(func: Command) -> Command:
        COMMANDS[name] = (func, help_text, arguments)
        return func
    return register


# -- output ------------------------------------------------------------------------------
def emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        out = text()
        if out:
            print(out)


def brief(item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The fields every JSON result carries."""
    data = {"id": item["id"], "path": item["path"], "title": item.get("title") or item["name"],
            "kind": item.get("kind")}
    data.update(extra)
    return data


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class TerminalProgress:
    """One self-rewriting status line on a terminal; silent when stderr is not one."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.last = 0.0

    def __call__(self, p: pipeline.Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.2 and p.stage != "done" and p.done != p.total:
            return
        self.last = now
        if p.stage == "done":
            sys.stderr.write("\r\033[K")
        elif p.total:
            sys.stderr.write(
                f"\r\033[K{p.stage}: {p.done}/{p.total}  {p.rate:.1f} files/s  "
                f"ETA {format_duration(p.eta_seconds)}")
        else:
            sys.stderr.write(f"\r\033[K{p.stage}: {p.done} files found")
        sys.stderr.flush()


def open_store(args: argparse.Namespace, readonly: bool = False) -> Store:
    return Store.open(args.db, readonly=readonly)


# -- catalog commands ----------------------------------------------------------------
def _index_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path,
                   help="library folders to add (none: update every known folder)")
    p.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="only index files matching this pattern (repeatable)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="skip files and folders matching this pattern (repeatable)")
    p.add_argument("--workers", type=int, default=None, help="extraction processes")
    p.add_argument("--timeout", type=float, default=pipeline.DEFAULT_TIMEOUT,
                   help="seconds allowed to read one file")
    p.add_argument("--no-models", action="store_true",
                   help="extract and index text only; skip embeddings, tags and summaries")
    p.add_argument("--no-thumbnails", action="store_true",
                   help="do not render thumbnails of images and PDF first pages")
    p.add_argument("--purge-missing", action="store_true",
                   help="forget items whose files are gone (their tags and feedback too)")


@command("index", "add library folders and bring the catalog up to date", _index_args)
def cmd_index(args: argparse.Namespace) -> int:
    store = open_store(args)
    for folder in args.paths:
        if not folder.is_dir():
            print(f"curio: {folder} is not a folder", file=sys.stderr)
            return EXIT_USAGE
        store.add_root(folder, args.include, args.exclude)
    if not store.roots():
        print("curio: no library folders yet: run `curio index FOLDER`", file=sys.stderr)
        return EXIT_USAGE
    progress = TerminalProgress(sys.stderr.isatty() and not args.json)
    control = pipeline.Control()
    try:
        report = pipeline.run(store, control, progress, workers=args.workers,
                              timeout=args.timeout, with_models=not args.no_models,
                              thumbnails=not args.no_thumbnails)
    except KeyboardInterrupt:
        control.cancel()
        print("\ncurio: interrupted; finished files are kept, run again to resume",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    purged = store.purge_missing() if args.purge_missing else 0
    counts = store.counts()
    data = {
        "new": report.new, "changed": report.changed, "moved": report.moved,
        "missing": report.missing, "unchanged": report.unchanged,
        "extracted": report.extracted, "failed": report.failed, "purged": purged,
        "embedded": report.embedded, "suggested": report.suggested,
        "summarised": report.summarised, "clusters": report.clusters,
        "model_error": report.model_error,
        "problems": [{"path": p.path, "reason": p.reason} for p in report.problems],
        "seconds": {k: round(v, 3) for k, v in report.stages.items()}, "catalog": counts,
    }

    def text() -> str:
        lines = [f"{report.new} new, {report.changed} changed, {report.moved} moved, "
                 f"{report.missing} missing, {report.unchanged} unchanged; "
                 f"{report.extracted} read, {report.failed} could not be read"]
        if report.embedded or report.summarised or report.suggested:
            lines.append(f"models: {report.embedded} embedded, {report.suggested} tag suggestions, "
                         f"{report.summarised} summarised")
        lines += [f"  ! {p.path}: {p.reason}" for p in report.problems]
        lines.append(f"catalog: {counts['ok']} items, {counts['failed']} failed, "
                     f"{counts['missing']} missing")
        return "\n".join(lines)

    emit(args, data, text)
    return EXIT_OK


@command("status", "what the catalog holds", lambda p: p.add_argument(
    "--failed", action="store_true", help="list the files that could not be read"))
def cmd_status(args: argparse.Namespace) -> int:
    store = open_store(args, readonly=True)
    counts = store.counts()
    data = {"db": str(args.db), "items": counts, "kinds": store.kinds(),
            "roots": [{"id": r.id, "path": r.path} for r in store.roots()]}
    if args.failed:
        data["failed"] = store.failures()

    def text() -> str:
        lines = [f"catalog {args.db}",
                 f"{counts['ok']} items, {counts['pending']} waiting, {counts['failed']} failed, "
                 f"{counts['missing']} missing"]
        lines += [f"  {kind or '?'}: {n}" for kind, n in data["kinds"].items()]
        lines += [f"folder {r['path']}" for r in data["roots"]]
        lines += [f"failed {f['id']}: {f['path']}: {f['error']}" for f in data.get("failed", [])]
        return "\n".join(lines)

    emit(args, data, text)
    return EXIT_OK


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help='words, "exact phrase", OR, -exclude, prefix*')
    p.add_argument("--limit", type=int, default=20)


@command("search", "find items by their words", _search_args)
def cmd_search(args: argparse.Namespace) -> int:
    store = open_store(args, readonly=True)
    results = store.search_text(args.query, limit=args.limit)
    data = [brief(r, score=round(r["score"], 4), snippet=r["snippet"]) for r in results]
    emit(args, data, lambda: "\n".join(
        f"{r['id']:>6}  {r['title']}\n        {r['path']}\n        {r['snippet']}" for r in data))
    return EXIT_OK if results else EXIT_NOT_FOUND


@command("show", "everything known about one item", lambda p: p.add_argument("id", type=int))
def cmd_show(args: argparse.Namespace) -> int:
    store = open_store(args, readonly=True)
    item = store.item(args.id, with_body=True)
    if item is None:
        print(f"curio: no item {args.id}", file=sys.stderr)
        return EXIT_NOT_FOUND
    data = dict(item)
    data.update(brief(item))

    def text() -> str:
        skip = {"body", "extra", "keywords"}
        lines = [f"{k}: {v}" for k, v in data.items() if v not in (None, "", [], {}) and k not in skip]
        if item["keywords"]:
            lines.append("keywords: " + ", ".join(item["keywords"]))
        lines += [f"{k}: {v}" for k, v in item["extra"].items()]
        body = item["body"]
        lines.append("")
        lines.append(body[:1500] + (" …" if len(body) > 1500 else ""))
        return "\n".join(lines)

    emit(args, data, text)
    return EXIT_OK


# -- entry point ---------------------------------------------------------------------
# Command modules beyond the catalog's; each registers itself with @command on import.
COMMAND_MODULES = ("desktop.curation.commands", "desktop.ml.commands")


def _load_command_modules() -> None:
    import importlib

    for name in COMMAND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not exc.name or not name.startswith(exc.name):  # a broken module must not hide
                raise


def _command_name(argv: Sequence[str]) -> str | None:
    """The command word of a command line: the first word that is not an option or --db's value."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--db":
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    # The catalog's own commands need none of the model and curation modules (numpy,
    # ONNX Runtime): loading them only when asked keeps `curio index` and `search` quick.
    if _command_name(argv if argv is not None else sys.argv[1:]) not in COMMANDS:
        _load_command_modules()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                        help="catalog file (default: the user's data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print JSON for scripts")
    parser = argparse.ArgumentParser(
        prog="curio", parents=[common], description="Curio: offline content curation.",
        epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--selftest", action="store_true",
                        help="check the models and every feature on the bundled sample "
                             "library in a temporary catalog, then exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (func, help_text, arguments) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text, parents=[common])
        arguments(p)
        p.set_defaults(func=func)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--selftest"]:  # before any command module loads: checks the install
        from .selftest import main as selftest_main

        return selftest_main(argv[1:])
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if getattr(args, "selftest", False):
        from .selftest import main as selftest_main

        return selftest_main()
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    args.db = getattr(args, "db", None) or Path(os.environ.get("CURIO_DB") or
                                                paths.default_db_path())
    args.json = getattr(args, "json", False)
    try:
        return args.func(args)
    except CatalogError as exc:
        print(f"curio: {exc}", file=sys.stderr)
        return EXIT_CATALOG
    except QueryError as exc:
        print(f"curio: {exc}", file=sys.stderr)
        return EXIT_QUERY
    except KeyboardInterrupt:
        print("\ncurio: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader has what it wanted (`curio cluster | head`). Whatever the command
        # wrote to the catalog is committed; stdout goes to /dev/null so that the final
        # flush at exit does not fail a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
