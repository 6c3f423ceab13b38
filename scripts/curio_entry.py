"""Entry point of the packaged `curio` binary (see build.spec).

No arguments: the desktop app. Any argument: the CLI (`curio --selftest`, `curio index ...`).
Spawned extraction workers re-enter here too; `desktop.__main__.main` hands them to
`multiprocessing.freeze_support()` before anything else is imported.
"""

import sys

from desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
