"""`python -m desktop`: the desktop app, or `python -m desktop <command>` for the CLI."""

from __future__ import annotations

import multiprocessing
import sys


def main() -> int:
    multiprocessing.freeze_support()  # extraction workers in the frozen binary
    args = sys.argv[1:]
    if args and not args[0].startswith("-psn"):
        from .cli import main as cli_main

        return cli_main(args)
    from .ui.app import main as gui_main

    return gui_main()


if __name__ == "__main__":
    sys.exit(main())
