"""The scripts in examples/ run as plain Python, as a reader runs them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# the course CSV: $SKSCALE_CALIFORNIA_CSV, by default
# ../shared/data/california_housing_train.csv beside the repository (conftest.py)
CALIFORNIA = Path(os.environ["SKSCALE_CALIFORNIA_CSV"])


def run_example(name, *args):
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )


def test_every_example_is_tested():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == [
        "plot_autoscaler.py",
        "plot_california_encoders.py",
        "plot_course_exercise.py",
        "plot_grid_search.py",
        "plot_which_normalization.py",
    ]


def test_autoscaler_example():
    completed = run_example("plot_autoscaler.py")
    assert completed.returncode == 0, completed.stderr
    first_line = completed.stdout.splitlines()[0]
    assert first_line == (
        "['log+linear', 'linear', 'passthrough', 'clip+linear', 'linear']"
    )
    assert "binary: two distinct values" in completed.stdout


def test_grid_search_example():
    pytest.importorskip("skscale.neural_network")
    completed = run_example("plot_grid_search.py")
    assert completed.returncode == 0, completed.stderr
    for name in ("passthrough", "LinearScaler", "ZScoreScaler", "AutoScaler"):
        assert completed.stdout.count(name) >= 4  # 2 dropouts x 2 solvers
    assert "held-out RMSE of the best pipeline" in completed.stdout


def test_course_exercise_skips_cleanly_without_the_data(tmp_path):
    completed = run_example("plot_course_exercise.py", tmp_path / "absent.csv")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("skipped: the course's")
    assert "absent.csv" in completed.stdout


def test_course_exercise_on_the_course_data():
    pytest.importorskip("skscale.neural_network")
    if not CALIFORNIA.exists():
        pytest.skip(f"course data not at {CALIFORNIA}; set SKSCALE_CALIFORNIA_CSV")
    completed = run_example("plot_course_exercise.py", CALIFORNIA)
    assert completed.returncode == 0, completed.stderr
    # the table's rows; the notes under it ("Task 3, ...: Dead ReLU units")
    # quote the networks' warnings
    rows = [
        line
        for line in completed.stdout.splitlines()
        if "Task" in line and ":" not in line
    ]
    assert len(rows) == 4
    assert "Dead ReLU units" in completed.stdout
    for row in rows:
        ours, course = (float(v) for v in row.split()[-2:])
        # a working network on normalized features: far below the 103
        # thousand dollars of the course's unnormalized baseline
        assert 40.0 < ours < 90.0
        assert course in {71.5, 68.7, 70.2, 69.4}


def test_california_encoders_skips_cleanly_without_the_data(tmp_path):
    completed = run_example("plot_california_encoders.py", tmp_path / "absent.csv")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("skipped: the course's")
    assert "absent.csv" in completed.stdout


def test_california_encoders_reach_50_on_the_course_data():
    if not CALIFORNIA.exists():
        pytest.skip(f"course data not at {CALIFORNIA}; set SKSCALE_CALIFORNIA_CSV")
    # five networks, about a minute of CPU: a longer limit on a loaded machine
    completed = subprocess.run(
        [sys.executable, str(EXAMPLES / "plot_california_encoders.py"), CALIFORNIA],
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    rows = [
        line for line in lines if line.lstrip()[:2] in {"1.", "2.", "3.", "4.", "5."}
    ]
    assert len(rows) == 5
    rmse = [float(row.split()[-3]) for row in rows]
    # issue 13's bar for the best pipeline, and far below Task 3's
    assert rmse[-1] <= 50.0
    assert rmse[-1] < rmse[0] - 10
    assert lines[-1].startswith("best: 5. PLE(32)")


@pytest.mark.parametrize("with_csv", [True, False])
def test_which_normalization_runs_with_or_without_the_course_data(with_csv, tmp_path):
    # Without the course's CSV (as where only the package is installed) the
    # example falls back to bundled data and says so; no warning either way.
    if with_csv and not CALIFORNIA.exists():
        pytest.skip(f"course data not at {CALIFORNIA}; set SKSCALE_CALIFORNIA_CSV")
    csv = CALIFORNIA if with_csv else tmp_path / "absent.csv"
    completed = run_example("plot_which_normalization.py", csv)
    assert completed.returncode == 0, completed.stderr
    assert not completed.stderr, completed.stderr
    expected = "California housing" if with_csv else "breast-cancer data"
    assert expected in completed.stdout.splitlines()[0]
