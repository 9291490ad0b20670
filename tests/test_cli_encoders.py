"""``skscale demo`` with the quantile encoders and a separate test file."""

import numpy as np
import pandas as pd
import pytest

from skscale._cli import training
from skscale._cli.data import COURSE_COLUMNS, COURSE_TARGET, Dataset, csv_dataset
from skscale._cli.holdout import read_test_set
from skscale.cli import main

pytest.importorskip("skscale.neural_network")


def _rows(stdout):
    return [
        [cell.strip() for cell in line.split("|")[1:-1]]
        for line in stdout.splitlines()
        if line.startswith("| ") and "strategy" not in line
    ]


def _write(path, n, seed):
    rng = np.random.default_rng(seed)
    X = rng.lognormal(size=(n, 3))
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["y"] = np.log(X[:, 0]) - X[:, 1] + rng.normal(scale=0.1, size=n)
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("holdout")
    return (
        _write(folder / "train.csv", 300, 0),
        _write(folder / "test.csv", 120, 1),
        _write(folder / "other_test.csv", 120, 2),
    )


def _demo(capsys, *args):
    code = main(["demo", "--quick", "--quiet", *map(str, args)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_demo_has_rows_for_the_quantile_encoders(files, capsys):
    train, _, _ = files
    out = _demo(capsys, "--csv", train, "--target", "y")
    strategies = {row[0] for row in _rows(out)}
    assert {"quantile", "ple"} <= strategies
    for row in _rows(out):
        if row[0] in {"quantile", "ple"}:
            assert np.isfinite(float(row[4].split()[0])), row


def test_test_csv_adds_a_test_column_that_never_touches_fitting(files, capsys):
    train, test, other = files
    with_test = _demo(capsys, "--csv", train, "--target", "y", "--test-csv", test)
    with_other = _demo(capsys, "--csv", train, "--target", "y", "--test-csv", other)
    without = _demo(capsys, "--csv", train, "--target", "y")

    def header_cells(out):
        header = next(line for line in out.splitlines() if "strategy" in line)
        return [cell.strip() for cell in header.split("|")]

    # "test RMSE", or "test" where the table is narrow
    assert any(cell.startswith("test") for cell in header_cells(with_test))
    assert not any(cell.startswith("test") for cell in header_cells(without))
    rows, other_rows, plain = _rows(with_test), _rows(with_other), _rows(without)
    assert len(rows) == len(plain)
    for row, other_row, plain_row in zip(rows, other_rows, plain):
        # train and validation RMSE (and the best mark) do not depend on the
        # test file; the test RMSE does
        assert row[:5] == plain_row[:5] == other_row[:5]
        assert np.isfinite(float(row[6]))
    assert [r[6] for r in rows] != [r[6] for r in other_rows]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_test_rmse_is_the_fitted_pipeline_on_the_test_rows(files):
    train, test, _ = files
    dataset = csv_dataset(train, "y")
    held_out = read_test_set(test, "y", dataset)
    config = training.Config("ple", "adam", learning_rate=0.01, epochs=5)
    transformer = training.normalizers(dataset)["ple"]
    result = training.train_one(
        config, transformer, dataset.X_train, dataset.y_train,
        dataset.X_valid, dataset.y_valid, per_epoch=False, test=held_out,
    )  # fmt: skip
    from sklearn.base import clone

    encoder = clone(transformer).fit(dataset.X_train)
    model = training._network(config).fit(
        np.asarray(encoder.transform(dataset.X_train)), dataset.y_train
    )
    predicted = model.predict(np.asarray(encoder.transform(held_out.X)))
    expected = float(np.sqrt(np.mean((predicted - held_out.y) ** 2)))
    assert result.test_rmse == pytest.approx(expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--test-csv", "{test}"], "--test-csv needs --csv"),
        (["--csv", "{train}", "--target", "y", "--test-csv", "{bad}"], "'b'"),
        (["--csv", "{train}", "--target", "y", "--test-csv", "{absent}"], "no such"),
    ],
)
def test_test_csv_mistakes_are_one_line(files, tmp_path, capsys, args, message):
    train, test, _ = files
    bad = tmp_path / "bad.csv"
    pd.read_csv(test).drop(columns="b").to_csv(bad, index=False)
    paths = {"train": train, "test": test, "bad": bad, "absent": tmp_path / "no.csv"}
    code = main(["demo", "--quick", "--quiet", *[a.format(**paths) for a in args]])
    captured = capsys.readouterr()
    assert code == 2
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_course_configurations_include_the_pipeline_below_50():
    # examples/plot_california_encoders.py's best step, in the demo's table
    frame = pd.DataFrame({c: np.arange(400.0) + 1 for c in COURSE_COLUMNS})
    X, y = frame.drop(columns=COURSE_TARGET), frame[COURSE_TARGET].to_numpy()
    course = Dataset("course", X[:300], y[:300], X[300:], y[300:], "y", is_course=True)
    configs = training.configurations(course, quick=False)
    best = [c for c in configs if c.strategy == "ple" and c.schedule == "cosine"]
    assert len(best) == 1
    assert best[0].hidden_layer_sizes == (128, 128)
    assert best[0].float32
