"""A call that raises leaves the estimator exactly as it was (issue 10, item 9).

Also: ``set_params`` between ``fit`` and ``partial_fit`` either works or
raises a ValueError that says what to do, never an AttributeError.
"""

import numpy as np
import pytest
from _state import differences, snapshot

from skscale import (
    AutoScaler,
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)


def test_partial_fit_whose_variance_overflows_keeps_the_earlier_fit():
    scaler = ZScoreScaler().partial_fit([[1.0], [2.0], [3.0]])
    before = snapshot(scaler)
    with pytest.raises(ValueError, match="overflows float64"):
        scaler.partial_fit([[1e200], [-1e200]])
    assert differences(before, snapshot(scaler)) == []
    np.testing.assert_array_equal(scaler.transform([[2.0]]), [[0.0]])


@pytest.mark.parametrize(
    "estimator",
    [
        LinearScaler(),
        LogTransformer(),
        Clipper(quantile_range=(5, 95)),
        ZScoreScaler(),
        BinaryThresholder("median"),
        AutoScaler(),
    ],
    ids=repr,
)
def test_refit_with_a_new_column_count_that_raises_keeps_the_earlier_fit(estimator):
    rng = np.random.default_rng(0)
    X = rng.gamma(2.0, 2.0, size=(20, 3))
    estimator.fit(X)
    expected = estimator.transform(X)
    before = snapshot(estimator)
    with pytest.raises(ValueError, match="infinity"):
        estimator.fit(np.array([[np.inf, 1.0], [2.0, 3.0]]))
    assert differences(before, snapshot(estimator)) == []
    assert estimator.n_features_in_ == 3
    np.testing.assert_array_equal(estimator.transform(X), expected)


@pytest.mark.parametrize(
    "fitted, changed",
    [
        (BinaryThresholder("mean"), {"threshold": "median"}),
        (BinaryThresholder("median"), {"threshold": "mean"}),
        (BinaryThresholder(0.5), {"threshold": "mean"}),
        (BinaryThresholder(0.5), {"threshold": "median"}),
        (Clipper(lower=0.0, upper=1.0), {"lower": None, "upper": None,
                                         "quantile_range": (5, 95)}),
    ],
    ids=repr,
)  # fmt: skip
def test_set_params_that_needs_statistics_fit_did_not_keep_says_to_refit(
    fitted, changed
):
    X = np.arange(12.0).reshape(6, 2)
    fitted.fit(X).set_params(**changed)
    before = snapshot(fitted)
    with pytest.raises(ValueError, match="Call fit to start again"):
        fitted.partial_fit(X)
    assert differences(before, snapshot(fitted)) == []
    fitted.fit(X).partial_fit(X)  # a refit starts again


@pytest.mark.parametrize(
    "fitted, changed, attribute, expected",
    [
        (BinaryThresholder("mean"), {"threshold": 2.0}, "threshold_", 2.0),
        (Clipper(quantile_range=(0, 100)), {"quantile_range": None, "upper": 3.0},
         "upper_", 3.0),
        (ZScoreScaler(), {"ddof": 1}, "var_", np.var(np.arange(12.0), ddof=1)),
        (LogTransformer(), {"offset": "auto"}, "offset_", 1.0),
    ],
    ids=repr,
)  # fmt: skip
def test_set_params_between_fit_and_partial_fit_works_when_the_statistics_are_kept(
    fitted, changed, attribute, expected
):
    X = np.arange(6.0).reshape(-1, 1)
    fitted.fit(X).set_params(**changed).partial_fit(X + 6.0)
    np.testing.assert_allclose(getattr(fitted, attribute), [expected])
