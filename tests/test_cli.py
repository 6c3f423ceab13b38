"""The headless CLI: JSON output, exit codes, kill -9 and resume."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop import cli

ROOT = Path(__file__).resolve().parent.parent


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library(tmp_path):
    lib = tmp_path / "library"
    lib.mkdir()
    (lib / "bees.md").write_text("# Rooftop bees\n\nUrban beekeeping is growing.", encoding="utf-8")
    (lib / "汇率.txt").write_text("人民币汇率的变化影响出口企业。", encoding="utf-8")
    return lib


def test_index_search_show_status_json(capsys, tmp_path, library):
    db = str(tmp_path / "c.sqlite3")
    code, out, _ = run_cli(capsys, "index", str(library), "--db", db, "--json", "--no-models",
                           "--workers", "1")
    assert code == cli.EXIT_OK
    assert json.loads(out)["extracted"] == 2
    code, out, _ = run_cli(capsys, "search", "beekeeping", "--db", db, "--json")
    hits = json.loads(out)
    assert code == 0 and hits[0]["title"] == "Rooftop bees"
    assert {"id", "path", "title"} <= hits[0].keys()
    code, out, _ = run_cli(capsys, "--json", "--db", db, "search", "汇率")
    assert code == 0 and json.loads(out)[0]["path"].endswith("汇率.txt")
    code, out, _ = run_cli(capsys, "show", str(hits[0]["id"]), "--db", db, "--json")
    assert code == 0 and "Urban beekeeping" in json.loads(out)["body"]
    code, out, _ = run_cli(capsys, "status", "--db", db, "--json")
    assert json.loads(out)["items"]["ok"] == 2


def test_exit_codes(capsys, tmp_path, library):
    db = str(tmp_path / "c.sqlite3")
    assert run_cli(capsys, "index", str(library), "--db", db, "--no-models")[0] == 0
    assert run_cli(capsys, "search", "nothingmatcheshere", "--db", db)[0] == cli.EXIT_NOT_FOUND
    assert run_cli(capsys, "show", "9999", "--db", db)[0] == cli.EXIT_NOT_FOUND
    code, _, err = run_cli(capsys, "search", '"unclosed', "--db", db)
    assert code == cli.EXIT_QUERY and "unclosed quote" in err
    assert run_cli(capsys)[0] == cli.EXIT_USAGE
    with pytest.raises(SystemExit) as exc:
        cli.main(["search"])
    assert exc.value.code == cli.EXIT_USAGE
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 1000)
    code, _, err = run_cli(capsys, "status", "--db", str(broken))
    assert code == cli.EXIT_CATALOG and "not a readable Curio catalog" in err
    code, _, err = run_cli(capsys, "status", "--db", str(tmp_path / "none.sqlite3"))
    assert code == cli.EXIT_CATALOG


def test_a_reader_that_stops_early_is_no_error(tmp_path, library):
    db = str(tmp_path / "c.sqlite3")
    assert cli.main(["index", str(library), "--db", db, "--no-models"]) == 0
    cmd = [sys.executable, "-m", "desktop", "--db", db, "status"]
    # As `curio status | head -0`: the pipe is closed before anything is written.
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == cli.EXIT_OK, err
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_kill_mid_run_then_resume(tmp_path):
    lib = tmp_path / "big"
    lib.mkdir()
    total = 1500
    for i in range(total):
        (lib / f"doc{i:05d}.txt").write_text(f"Document {i} about topic {i % 17}. " * 20)
    db = tmp_path / "c.sqlite3"
    cmd = [sys.executable, "-m", "desktop", "index", str(lib), "--db", str(db), "--no-models",
           "--workers", "1", "--json"]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                done = conn.execute("SELECT count(*) FROM items WHERE status = 'ok'").fetchone()[0]
        except sqlite3.Error:
            continue
        if done >= 200:
            break
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the indexer and its extraction workers
    proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finished = conn.execute("SELECT count(*) FROM items WHERE status = 'ok'").fetchone()[0]
    conn.close()
    assert 200 <= finished < total
    resumed = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["new"] == 0 and report["unchanged"] == total
    assert report["extracted"] == total - finished  # finished files are not read again
    assert report["catalog"]["ok"] == total


def test_model_commands(capsys, tmp_path, library):
    db = str(tmp_path / "c.sqlite3")
    assert run_cli(capsys, "index", str(library), "--db", db, "--no-models", "--workers", "1")[0] == 0
    code, out, _ = run_cli(capsys, "embed", "--db", db, "--json")
    assert code == 0 and json.loads(out)["embedded"] == 2
    code, out, _ = run_cli(capsys, "search", "beekeeping", "--db", db, "--json")
    item_id = json.loads(out)[0]["id"]
    code, out, _ = run_cli(capsys, "summarize", str(item_id), "--db", db, "--json")
    data = json.loads(out)
    assert code == 0 and data["summary"] == "Urban beekeeping is growing."
    code, out, _ = run_cli(capsys, "tag", str(item_id), "--db", db, "--json")
    assert code == 0 and json.loads(out)["items"][0]["id"] == item_id
    assert run_cli(capsys, "summarize", "999", "--db", db)[0] == cli.EXIT_NOT_FOUND
