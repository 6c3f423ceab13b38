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
    # What the packaged binary's cuts must leave working: every accepted image format (PIL
    # codecs) and Qt's collation (the trimmed ICU data).
    assert re.search(r"^PASS  index .*images bmp gif jpeg jpg png tif tiff webp read and thumbnailed",
                     proc.stdout, re.M), proc.stdout
    assert re.search(r"^PASS  qt .*collation en_US zh_CN", proc.stdout, re.M), proc.stdout
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


ICU_PROBE = """
import sys
from pathlib import Path
from PySide6.QtCore import QCollator, QLocale
words = ["中文", "波", "阿", "file10", "File2"]
zh = QCollator(QLocale("zh_CN"))
zh.setNumericMode(True)
print(" ".join(sorted(words, key=zh.sortKey)))
maps = Path("/proc/self/maps").read_text()
print(sys.argv[1] in maps, "site-packages/PySide6/Qt/lib/libicudata" in maps)
"""


def test_trimmed_icu_data_keeps_qt_collation(tmp_path):
    """scripts/icudata.py's library, loaded in place of the wheel's, still sorts Chinese by
    pinyin and numbers naturally (the build uses it for the packaged binary)."""
    import shutil

    import pytest

    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler: the build keeps ICU's data whole")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import icudata
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    import PySide6

    original = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    trimmed = tmp_path / original.name
    message = icudata.build(original, trimmed)
    assert trimmed.stat().st_size < original.stat().st_size / 3, message
    env = os.environ | {"LD_PRELOAD": str(trimmed), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", ICU_PROBE, str(trimmed)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    order, maps = proc.stdout.splitlines()
    assert maps == "True False"  # the trimmed data was the one Qt used
    # Chinese tailoring: Han first, by pinyin (a, bo, zhong); numbers compared as numbers.
    # Without the collation data ICU falls back to root order: File2 file10 中文 波 阿.
    assert order == "阿 波 中文 File2 file10"
