"""Smoke test of benchmarks/bench_gpu.py: it runs without a GPU.

Benchmarks are not tests: nothing here reads a time. Without CUDA the script
says so and exits 0; ``--smoke`` runs the whole path on array-api-strict
(each transformer's output checked equal to NumPy's first) and writes the
table with a verdict column.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("array_api_strict")

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "bench_gpu.py"


def _run(*args):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=300,
        # The checkout's skscale, whichever copy the environment installed.
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_smoke_profile_writes_the_table(tmp_path):
    output = tmp_path / "results_gpu.md"
    _run("--smoke", "--output", str(output))
    text = output.read_text(encoding="utf-8")
    for subject in ("device copy", "LinearScaler", "Clipper(1, 99)", "AutoScaler"):
        assert f"| {subject} |" in text, subject
    assert text.count("smoke: not a measurement") == 13


def test_without_cuda_it_says_so(monkeypatch):
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None and torch.cuda.is_available():
        pytest.skip("a CUDA device is present: the full run is not a smoke test")
    assert "No CUDA GPU" in _run()
