"""AutoScaler: per-column choices, the transform they imply, and the report."""

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skscale import AutoScaler, Clipper, LinearScaler, LogTransformer, ZScoreScaler
from skscale.preprocessing._auto_profile import ColumnProfile

# the course CSV: $SKSCALE_CALIFORNIA_CSV (default set in conftest.py)
CALIFORNIA = Path(os.environ["SKSCALE_CALIFORNIA_CSV"])


@pytest.fixture
def columns():
    """Generated columns with a known right answer each."""
    rng = np.random.default_rng(42)
    n = 2000
    heavy = rng.normal(size=n)
    heavy[:100] *= 50  # 5% far outliers, symmetric
    return pd.DataFrame(
        {
            "skewed": rng.lognormal(mean=2.0, sigma=1.2, size=n),
            "uniform": rng.uniform(-5.0, 5.0, size=n),
            "binary": rng.integers(0, 2, size=n).astype(float),
            "outliers": heavy,
            "left_skewed": -rng.exponential(size=n) * 10,
            "normal": rng.normal(100.0, 15.0, size=n),
            "constant": np.full(n, 7.0),
        }
    )


def test_choices_on_generated_columns(columns):
    scaler = AutoScaler().fit(columns)
    assert scaler.strategies_ == [
        "log+linear",
        "linear",
        "passthrough",
        "clip+linear",
        "clip+linear",
        "linear",
        "linear",
    ]
    assert len(scaler.reasons_) == columns.shape[1]
    assert "skew" in scaler.reasons_[0]
    assert "binary" in scaler.reasons_[2]
    assert "constant" in scaler.reasons_[6]


def test_zscore_scaler_and_thresholds_change_choices(columns):
    zscore = AutoScaler(scaler="zscore").fit(columns)
    assert zscore.strategies_[:4] == [
        "log+zscore",
        "zscore",
        "passthrough",
        "clip+zscore",
    ]
    # A skewness threshold above the column's skewness: its far tail is clipped.
    lenient = AutoScaler(skew_threshold=100.0).fit(columns[["skewed"]])
    assert lenient.strategies_ == ["clip+linear"]
    # Outliers tolerated up to 100%: plain scaling.
    tolerant = AutoScaler(outlier_threshold=1.0).fit(columns[["outliers"]])
    assert tolerant.strategies_ == ["linear"]


def test_transform_composes_the_transformers(columns):
    X = columns.to_numpy()
    scaler = AutoScaler().fit(X)
    Xt = scaler.transform(X)
    expected_log = make_pipeline(LogTransformer(), LinearScaler()).fit_transform(
        X[:, [0]]
    )
    expected_clip = make_pipeline(
        Clipper(quantile_range=(1.0, 99.0)), LinearScaler()
    ).fit_transform(X[:, [3, 4]])
    np.testing.assert_allclose(Xt[:, [0]], expected_log)
    np.testing.assert_allclose(Xt[:, [3, 4]], expected_clip)
    np.testing.assert_array_equal(Xt[:, 2], X[:, 2])
    np.testing.assert_allclose(
        Xt[:, [1, 5]], LinearScaler().fit_transform(X[:, [1, 5]])
    )
    np.testing.assert_array_equal(Xt[:, 6], -1.0)
    assert Xt[:, [0, 1, 3, 4, 5]].min() == pytest.approx(-1.0)
    assert Xt[:, [0, 1, 3, 4, 5]].max() == pytest.approx(1.0)


def test_zscore_transform_and_copy_false(columns):
    X = columns[["uniform", "normal"]].to_numpy().copy()
    scaler = AutoScaler(scaler="zscore", copy=False).fit(X)
    expected = ZScoreScaler().fit_transform(X)
    out = scaler.transform(X)
    assert out is X
    np.testing.assert_allclose(out, expected)


def test_skewness_and_outlier_share_match_reference(columns):
    X = columns.to_numpy()
    profile = ColumnProfile.from_array(X)
    np.testing.assert_allclose(profile.skewness[:6], stats.skew(X[:, :6]), atol=1e-10)
    q1, q3 = np.percentile(X[:, 3], [25, 75])
    beyond = (X[:, 3] < q1 - 3 * (q3 - q1)) | (X[:, 3] > q3 + 3 * (q3 - q1))
    assert profile.outlier_share[3] == pytest.approx(beyond.mean())
    assert profile.two_valued.tolist() == [False, False, True] + [False] * 3 + [True]


def test_nan_passes_through_and_is_ignored(columns):
    X = columns.to_numpy().copy()
    X[::7, :] = np.nan
    X_all_nan = np.column_stack([X, np.full(X.shape[0], np.nan)])
    scaler = AutoScaler().fit(X_all_nan)
    assert scaler.strategies_[:6] == AutoScaler().fit(columns).strategies_[:6]
    assert scaler.strategies_[-1] == "passthrough"
    assert scaler.reasons_[-1] == "no non-missing values"
    Xt = scaler.transform(X_all_nan)
    np.testing.assert_array_equal(np.isnan(Xt), np.isnan(X_all_nan))
    report = scaler.report()
    assert report["missing"].iloc[0] == np.isnan(X[:, 0]).sum()


def test_float32_stays_float32(columns):
    X = columns.to_numpy(dtype=np.float32)
    Xt = AutoScaler().fit(X).transform(X)
    assert Xt.dtype == np.float32
    assert np.isfinite(Xt).all()


def test_report_and_pandas_output(columns):
    scaler = AutoScaler().set_output(transform="pandas").fit(columns)
    report = scaler.report()
    assert list(report.index) == list(columns.columns)
    assert list(report.columns) == [
        "count",
        "missing",
        "min",
        "max",
        "mean",
        "std",
        "skewness",
        "outlier_share",
        "strategy",
        "reason",
    ]
    assert report.loc["uniform", "std"] == pytest.approx(columns["uniform"].std())
    assert report["strategy"].tolist() == scaler.strategies_
    out = scaler.transform(columns)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(columns.columns)


def test_thresholds_tune_in_grid_search(columns):
    rng = np.random.default_rng(0)
    X = columns.drop(columns="constant").to_numpy()
    y = np.log1p(X[:, 0]) + rng.normal(scale=0.1, size=X.shape[0])
    from sklearn.linear_model import Ridge

    search = GridSearchCV(
        make_pipeline(AutoScaler(), Ridge()),
        {"autoscaler__skew_threshold": [0.5, 1000.0]},
        cv=3,
    ).fit(X, y)
    # log(x + 1) makes the target linear in the skewed column: the log wins.
    assert search.best_params_ == {"autoscaler__skew_threshold": 0.5}
    assert clone(search.best_estimator_).get_params()["autoscaler__scaler"] == "linear"


def test_log_domain_error_names_the_column(columns):
    scaler = AutoScaler().fit(columns[["uniform", "skewed"]])
    bad = pd.DataFrame({"uniform": [0.0], "skewed": [-3.0]})
    with pytest.raises(ValueError, match=r"'skewed'.*log\(x \+ 1\)"):
        scaler.transform(bad)


@pytest.mark.parametrize("quantile_range", [(99.0, 1.0), (0.0, 101.0), (1.0,)])
def test_bad_quantile_range_is_quoted(quantile_range, columns):
    with pytest.raises(ValueError, match="quantile_range"):
        AutoScaler(quantile_range=quantile_range).fit(columns)


def test_infinite_values_are_rejected_by_name(columns):
    X = columns.copy()
    X.loc[3, "normal"] = np.inf
    with pytest.raises(ValueError, match="'normal'"):
        AutoScaler().fit(X)


def test_california_choices_agree_with_course_task3():
    if not CALIFORNIA.exists():
        pytest.skip(f"course data not at {CALIFORNIA} (set SKSCALE_CALIFORNIA_CSV)")
    data = pd.read_csv(CALIFORNIA).drop(columns="median_house_value")
    data["rooms_per_person"] = data["total_rooms"] / data["population"]
    chosen = dict(zip(data.columns, AutoScaler().fit(data).strategies_))
    for column in ("latitude", "longitude", "housing_median_age"):
        assert chosen[column] == "linear"
    for column in (
        "households",
        "median_income",
        "total_bedrooms",
        "population",
        "rooms_per_person",
        "total_rooms",
    ):
        assert chosen[column] in {"log+linear", "clip+linear"}
