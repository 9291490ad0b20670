"""Parity with scikit-learn's equivalents on the same data."""

import numpy as np
import pytest
from sklearn.preprocessing import (
    Binarizer,
    FunctionTransformer,
    MinMaxScaler,
    StandardScaler,
)

from skscale import BinaryThresholder, LinearScaler, LogTransformer, ZScoreScaler


@pytest.fixture
def data():
    rng = np.random.default_rng(42)
    X = rng.gamma(2.0, 3.0, size=(300, 4))
    X[:, 3] = 7.0  # a constant column
    return X[:200], X[200:]


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (LinearScaler(), MinMaxScaler(feature_range=(-1, 1))),
        (LinearScaler((0, 5)), MinMaxScaler(feature_range=(0, 5))),
        (ZScoreScaler(), StandardScaler()),
        (ZScoreScaler(with_mean=False), StandardScaler(with_mean=False)),
        (ZScoreScaler(with_std=False), StandardScaler(with_std=False)),
        (BinaryThresholder(4.0), Binarizer(threshold=4.0)),
        (LogTransformer(), FunctionTransformer(np.log1p, inverse_func=np.expm1)),
    ],
    ids=repr,
)
def test_matches_scikit_learn(data, ours, theirs):
    train, test = data
    ours.fit(train)
    theirs.fit(train)
    np.testing.assert_allclose(ours.transform(test), theirs.transform(test), rtol=1e-12)
    if hasattr(theirs, "inverse_transform") and hasattr(ours, "inverse_transform"):
        Z = ours.transform(test)
        np.testing.assert_allclose(
            ours.inverse_transform(Z), theirs.inverse_transform(Z), rtol=1e-12
        )


def test_zscore_ddof_one_is_pandas_std(data):
    train, _ = data
    scaler = ZScoreScaler(ddof=1).fit(train)
    np.testing.assert_allclose(scaler.var_[:3], train[:, :3].var(axis=0, ddof=1))
    assert scaler.scale_[3] == 1.0
