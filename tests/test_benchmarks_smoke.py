"""Smoke test of the benchmark suite: it runs end to end at the tiny size.

Benchmarks are not tests, so nothing here looks at a time: only that one
command runs every benchmark (each checks its output equal to its peer's
before timing, so a wrong kernel fails here) and writes a complete table.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

RUN_ALL = Path(__file__).resolve().parents[1] / "benchmarks" / "run_all.py"

TRANSFORMERS = [
    "LinearScaler",
    "ZScoreScaler",
    "LogTransformer",
    "Clipper",
    "BinaryThresholder",
]
FUNCTIONS = [
    "linear_scale",
    "log_normalize",
    "clip",
    "z_score_normalize",
    "binary_threshold",
]


def test_run_all_tiny_writes_a_complete_table(tmp_path):
    output = tmp_path / "results.md"
    done = subprocess.run(
        [sys.executable, str(RUN_ALL), "--tiny", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = output.read_text(encoding="utf-8")

    rows = [line.split("|")[1:-1] for line in text.splitlines() if line[:2] == "| "]
    measured = {
        (cells[0].strip(), cells[1].strip()) for cells in rows if len(cells) == 10
    }
    for name in TRANSFORMERS:
        for benchmark in ("time_fit", "time_transform", "peakmem_transform"):
            assert (name, benchmark) in measured, (name, benchmark)
    for name in FUNCTIONS:
        assert ("functions", f"time_{name}") in measured, name
    for name in ("QuantileNormalizer", "PiecewiseLinearEncoder"):
        for benchmark in ("time_fit", "time_transform"):
            assert (name, benchmark) in measured, (name, benchmark)

    # Every speed target gets a verdict with its measured ratio.
    verdicts = re.findall(r"\| ([\d.]+)x \| (met|\*\*not met\*\*) \|", text)
    target_rows = [cells for cells in rows if len(cells) == 3]
    assert len(target_rows) > 1
    assert len(verdicts) == len(target_rows) - 1  # minus the header row

    for heading in (
        "## Machine",
        "## Speed targets",
        "## Quantile encoders",
        "## MLP epoch",
    ):
        assert heading in text
    assert "failed (exit" not in text, "bench_mlp.py failed inside run_all.py"


def test_out_of_core_benchmark_runs_at_a_tiny_size(tmp_path):
    script = RUN_ALL.parent / "bench_out_of_core.py"
    done = subprocess.run(
        [sys.executable, str(script), "--size-gb", "0.01", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for benchmark in ("time_fit_zscore", "time_fit_clip_quantiles", "peakmem"):
        assert benchmark in done.stdout, done.stdout
    # The benchmark deletes the chunks it wrote.
    assert not any(tmp_path.rglob("*.npy")), list(tmp_path.rglob("*"))


def test_course_functions_agree_at_the_default_size():
    # The default profile's 200,000 rows put z-scores near 0, where the
    # originals' (x - mean) / std and skscale's x * scale + offset differ by
    # a few ulp of the largest output: the check must allow that, and only
    # that (run_all.py stopped here on a 1e-12 relative tolerance).
    sys.path.insert(0, str(RUN_ALL.parent))
    try:
        import bench_functions
    finally:
        sys.path.remove(str(RUN_ALL.parent))
    series = bench_functions.make_series(bench_functions.SIZES["small"][0])
    for _, _, ours, _, peer in bench_functions.CASES:
        bench_functions.check_equal(ours, peer, series)
    # A wrong kernel is still caught: a shift of one part in 1e9 fails.
    shifted = bench_functions.CASES[3][2]
    with pytest.raises(AssertionError):
        bench_functions.check_equal(
            lambda s: shifted(s) + 1e-9, bench_functions.CASES[3][4], series
        )
