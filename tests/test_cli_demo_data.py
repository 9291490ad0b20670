"""The demo's data on a user's files: the test file (issue 17 item 8), the
columns and the target's scale (item 9)."""

import math

import numpy as np
import pandas as pd
import pytest

from skscale._cli import training
from skscale._cli.data import csv_dataset
from skscale._cli.holdout import read_test_set
from skscale._cli.table import format_table
from skscale.cli import main

pytest.importorskip("skscale.neural_network")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def table_rows(out):
    """(strategy, solver) -> the table's cells, stripped."""
    rows = {}
    for line in out.splitlines():
        if line.startswith("| ") and "strategy" not in line:
            cells = [c.strip() for c in line.split("|")[1:-1]]
            rows[cells[0], cells[1]] = cells
    return rows


def skewed_frame(n, seed):
    """A skewed feature AutoScaler logs, a plain one, and a target of them."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {"count": rng.lognormal(1.0, 1.2, n), "angle": rng.uniform(-1, 1, n)}
    )
    frame["y"] = np.log(frame["count"]) + frame["angle"] + rng.normal(0, 0.1, n)
    return frame


@pytest.fixture
def train_csv(tmp_path):
    path = tmp_path / "train.csv"
    skewed_frame(80, seed=0).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("inf", "not finite"), ("-inf", "not finite"), ("many", "not numeric")],
)
def test_a_test_file_with_values_that_are_not_finite_numbers_is_refused(
    capsys, tmp_path, train_csv, value, fragment
):
    test = skewed_frame(10, seed=1).astype(object)
    test.loc[4, "angle"] = value
    path = tmp_path / "test.csv"
    test.to_csv(path, index=False)
    args = ["demo", "--quick", "--csv", train_csv, "--target", "y"]
    code, out, err = run(capsys, *args, "--test-csv", path)
    assert code == 2
    assert out == ""  # refused before any training
    (line,) = err.strip().splitlines()
    assert fragment in line and "column 'angle'" in line and "row 5" in line


def test_text_in_a_test_column_the_demo_does_not_use_is_ignored(tmp_path, train_csv):
    test = skewed_frame(10, seed=1)
    test["comment"] = "fine"
    path = tmp_path / "test.csv"
    test.to_csv(path, index=False)
    test_set = read_test_set(path, "y", csv_dataset(train_csv, "y"))
    assert list(test_set.X.columns) == ["count", "angle"] and len(test_set.X) == 10


def test_a_test_value_one_normalizer_cannot_map_marks_only_its_test_cell(
    tmp_path, train_csv
):
    from skscale import AutoScaler

    test = skewed_frame(10, seed=1)
    test.loc[3, "count"] = -5.0  # below the domain of the log AutoScaler learns
    path = tmp_path / "test.csv"
    test.to_csv(path, index=False)
    dataset = csv_dataset(train_csv, "y")
    test_set = read_test_set(path, "y", dataset)
    config = training.Config("auto", "adam", epochs=5)
    split = (dataset.X_train, dataset.y_train, dataset.X_valid, dataset.y_valid)
    without = training.train_one(config, AutoScaler(), *split)
    with_test = training.train_one(config, AutoScaler(), *split, test=test_set)
    # the test file changes nothing of the training
    assert math.isfinite(with_test.valid_rmse)
    assert (with_test.train_rmse, with_test.valid_rmse) == (
        without.train_rmse,
        without.valid_rmse,
    )
    assert with_test.loss_curve == without.loss_curve and with_test.note == ""
    assert math.isnan(with_test.test_rmse)
    assert "log-transforms column(s) 'count'" in with_test.test_note
    linear = training.train_one(
        training.Config("linear", "adam", epochs=5),
        training.normalizers(dataset)["linear"],
        *split,
        test=test_set,
    )
    assert math.isfinite(linear.test_rmse) and linear.test_note == ""
    table = format_table([with_test, linear], course=False)
    rows = table_rows(table)
    assert rows["auto", "adam"][-1] == "n/a ‡"
    assert rows["linear", "adam"][-1] == f"{linear.test_rmse:.1f}"
    assert "‡ the fitted normalizer cannot map a test value" in table
    assert "- auto + adam: test file: AutoScaler log-transforms" in table


def test_demo_with_an_unmappable_test_value_exits_zero(capsys, tmp_path, train_csv):
    test = skewed_frame(10, seed=1)
    test.loc[3, "count"] = -5.0
    path = tmp_path / "test.csv"
    test.to_csv(path, index=False)
    args = ["demo", "--quick", "--quiet", "--csv", train_csv, "--target", "y"]
    code, out, err = run(capsys, *args, "--test-csv", path)
    assert code == 0, err
    rows = table_rows(out)
    for solver in training.SOLVERS:
        auto = rows["auto", solver]
        assert auto[-1] == "n/a ‡"
        assert math.isfinite(float(auto[4].split()[0]))  # validation RMSE
        assert math.isfinite(float(rows["linear", solver][-1]))
    assert "test file: AutoScaler log-transforms column(s) 'count'" in out
