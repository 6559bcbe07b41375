"""The evaluation step stays out of the test run and fails, never skips, without its folder."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib

from tests.extraction.support import REPO


def test_the_default_run_collects_tests_only():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert config["testpaths"] == ["tests"]


def test_evaluation_without_the_shared_folder_fails_naming_it(tmp_path):
    missing = tmp_path / "no-such-eval"
    p = subprocess.run([sys.executable, "-m", "pytest", "evaluation", "-q", "-p", "no:cacheprovider"], cwd=REPO,
                       capture_output=True, text=True, timeout=300,
                       env={**os.environ, "ACTORGRAPH_SHARED_EVAL": str(missing)})
    assert p.returncode == 1, p.stdout
    assert f"the shared evaluation folder is missing: expected it (with score.py) at {missing}" in p.stdout
    assert "skipped" not in p.stdout.splitlines()[-1] and "error" in p.stdout.splitlines()[-1]


def test_scripts_eval_refuses_a_missing_folder(tmp_path):
    p = subprocess.run([str(REPO / "scripts" / "eval"), str(tmp_path / "nope")], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 2 and str(tmp_path / "nope") in p.stderr
