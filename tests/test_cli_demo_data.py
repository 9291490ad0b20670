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


def priced_frame(n, seed):
    """A target near 135,000 (a price), two features, a date and an ID."""
    rng = np.random.default_rng(seed)
    rooms = rng.uniform(1, 8, n)
    area = rng.lognormal(4.0, 0.4, n)
    return pd.DataFrame(
        {
            "sold": pd.date_range("2020-01-01", periods=n, freq="D").astype(str),
            "listing": [f"L{i:05d}" for i in range(n)],
            "rooms": rooms,
            "area": area,
            "price": 135_000 + 4_000 * rooms + 80 * area + rng.normal(0, 500, n),
        }
    )


def test_demo_columns_and_drop_choose_the_features(tmp_path):
    path = tmp_path / "houses.csv"
    priced_frame(60, seed=0).to_csv(path, index=False)
    dropped = csv_dataset(path, "price", drop=["sold", "listing"])
    assert list(dropped.X_train.columns) == ["rooms", "area"]
    kept = csv_dataset(path, "price", keep=["area"])
    assert list(kept.X_train.columns) == ["area"]
    np.testing.assert_array_equal(kept.y_all, dropped.y_all)


def test_demo_columns_and_drop_errors_are_one_line(capsys, tmp_path):
    path = tmp_path / "houses.csv"
    priced_frame(60, seed=0).to_csv(path, index=False)
    base = ["demo", "--csv", path, "--target", "price"]
    for extra, fragment in [
        (["--drop", "listing"], "column 'sold'"),  # a date left in: not numeric
        (["--columns", "rooms,town"], "'town' not in"),
        (["--columns", "price"], "no columns"),
    ]:
        code, out, err = run(capsys, *base, *extra)
        assert code == 2 and out == ""
        (line,) = err.strip().splitlines()
        assert fragment in line, line
    code, out, err = run(capsys, "demo", "--drop", "sold")
    assert code == 2 and "--csv" in err


def test_the_network_trains_on_the_z_scored_target_rmse_in_its_units(tmp_path):
    path = tmp_path / "houses.csv"
    priced_frame(300, seed=0).to_csv(path, index=False)
    dataset = csv_dataset(path, "price", drop=["sold", "listing"])
    assert dataset.scale_target
    split = (dataset.X_train, dataset.y_train, dataset.X_valid, dataset.y_valid)
    spread = float(np.std(dataset.y_valid))
    config = training.Config("zscore", "adam", learning_rate=0.01, epochs=40)
    zscore = training.normalizers(dataset)["zscore"]
    scaled = training.train_one(config, zscore, *split, scale_target=True)
    unscaled = training.train_one(config, zscore, *split, scale_target=False)
    # unscaled, a network with small initial weights is still near 0 after
    # its epochs (RMSE about the price itself); scaled, it explains the price
    assert unscaled.valid_rmse > 50_000
    assert scaled.valid_rmse < 0.5 * spread
    assert scaled.valid_rmse > 100  # in dollars, not in standard deviations
    # the training loss is in the units the network fits: about half a variance
    assert scaled.loss_curve[0] < 5


def test_demo_scales_the_target_for_every_row_but_not_the_courses(capsys, tmp_path):
    path = tmp_path / "houses.csv"
    priced_frame(150, seed=0).to_csv(path, index=False)
    args = ["demo", "--quick", "--quiet", "--csv", path, "--target", "price"]
    code, out, err = run(capsys, *args, "--drop", "sold,listing")
    assert code == 0, err
    assert "target: price (z-scored for training, RMSE in its units)" in out
    rows = table_rows(out)
    spread = priced_frame(150, seed=0)["price"].std()
    # every normalized row learns the price; none predicts about 0
    for (strategy, solver), cells in rows.items():
        valid = float(cells[4].split()[0])
        if strategy != "none" and solver == "adam":
            assert valid < 0.6 * spread, (strategy, solver, valid)
        assert valid < 10 * spread, (strategy, solver, valid)
    best = next(key for key, cells in rows.items() if cells[4].endswith("*"))
    assert best[0] != "none"


def test_the_courses_california_setup_keeps_its_unscaled_thousands(tmp_path):
    rng = np.random.default_rng(1)
    n = 40
    columns = {name: rng.uniform(1, 100, n) for name in data_columns()}
    columns["median_house_value"] = rng.uniform(15_000, 500_000, n)
    path = tmp_path / "california.csv"
    pd.DataFrame(columns).to_csv(path, index=False)
    dataset = csv_dataset(path, "median_house_value")
    assert dataset.is_course and not dataset.scale_target
    assert dataset.y_train.max() <= 500.0


def data_columns():
    from skscale._cli.data import COURSE_COLUMNS

    return COURSE_COLUMNS[:-1]
