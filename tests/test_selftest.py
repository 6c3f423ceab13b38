"""`curio --selftest` from source: real models, the bundled sample library, a temporary catalog.

The same command runs against the frozen binary in CI (.ci/run via scripts/build-dist.sh).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from desktop import cli, paths

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ("models", "index", "tags", "summaries", "clusters", "recommend", "search", "qt")


def run_selftest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    user = tmp_path / "user"
    environ = os.environ | {
        "CURIO_DATA_DIR": str(user / "data"), "CURIO_CACHE_DIR": str(user / "cache"),
        "TMPDIR": str(tmp_path / "tmp"), "QT_QPA_PLATFORM": "offscreen", **env,
    }
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "desktop", "--selftest"], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=900)


def test_selftest_passes_and_leaves_the_user_data_alone(tmp_path):
    proc = run_selftest(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in CHECKS:
        assert re.search(rf"^PASS  {name} +\d+\.\d\d s  \S", proc.stdout, re.M), proc.stdout
    assert "FAIL" not in proc.stdout
    assert proc.stdout.rstrip().endswith(f"selftest: {len(CHECKS)} passed, 0 failed")
    # Everything went to a temporary folder that is gone again; the user's is untouched.
    user = tmp_path / "user"
    assert not user.exists() or not any(user.rglob("*"))
    assert not list((tmp_path / "tmp").glob("curio-selftest-*"))


def test_a_damaged_model_fails_the_selftest(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    manifest = json.loads((paths.models_dir() / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["models"]:
        for key in ("file", "tokenizer"):
            target = models / entry[key]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(paths.models_dir() / entry[key])
        entry["sha256"] = "0" * 64  # as if the file on disk were damaged
    (models / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    proc = run_selftest(tmp_path, CURIO_MODELS_DIR=str(models))
    assert proc.returncode == 1
    assert re.search(r"^FAIL  models .*does not match its checksum", proc.stdout, re.M), proc.stdout
    assert re.search(r"^selftest: \d passed, [1-9] failed$", proc.stdout, re.M)


def test_selftest_is_a_top_level_cli_flag(capsys):
    assert cli.build_parser().parse_args(["--selftest"]).selftest
    assert "--selftest" in cli.build_parser().format_help()
