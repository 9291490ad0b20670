"""Containers scikit-learn's check_array misreads (issue 10, items 6 and 13).

Every estimator against each of them is a row of the bad-input contract
(tests/test_bad_input_contract.py); these tests pin the details.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from skscale import BinaryThresholder, ZScoreScaler

pl = pytest.importorskip("polars")


@pytest.mark.parametrize(
    "column",
    [
        np.array(["1", "x", "2"], dtype=object),
        np.array([1.0, 2.0, "x"], dtype=object),
        pd.array(["1.5", "x", None], dtype="string"),
    ],
    ids=["str first", "numbers first", "string dtype"],
)
def test_non_numeric_error_quotes_the_bad_value(column):
    with pytest.raises(ValueError, match="column 's' .*is not numeric, e.g. 'x'"):
        ZScoreScaler().fit(pd.DataFrame({"a": [1.0, 2.0, 3.0], "s": column}))


@pytest.mark.parametrize(
    "X",
    [
        pd.DataFrame({"d": pd.to_datetime(["2020-01-01", None]).tz_localize("UTC")}),
        pd.DataFrame({"d": pd.to_datetime(["2020-01-01", None])}),
        pl.DataFrame({"d": pl.Series([1, None]).cast(pl.Date)}),
        pl.DataFrame({"d": pl.Series([1, None]).cast(pl.Duration)}),
    ],
    ids=["pandas tz-aware", "pandas naive", "polars Date", "polars Duration"],
)
def test_dates_are_refused_naming_the_column(X):
    with pytest.raises(ValueError, match="column 'd' .*dates or times"):
        ZScoreScaler().fit(X)


def test_object_column_with_pd_na_reads_as_nan_without_changing_the_frame():
    X = pd.DataFrame({"a": np.array([1.0, pd.NA, 3.0, None], dtype=object)})
    out = ZScoreScaler().fit_transform(X)
    np.testing.assert_array_equal(np.isnan(out[:, 0]), [False, True, False, True])
    assert X["a"].iloc[1] is pd.NA  # the caller's frame is untouched
    array = np.array([[1.0], [pd.NA], [0.0]], dtype=object)
    out = BinaryThresholder(0.5).fit_transform(array)
    np.testing.assert_array_equal(out[:, 0], [1.0, np.nan, 0.0])


def test_pandas_sparse_frame_with_fill_zero_is_a_sparse_matrix():
    X = pd.DataFrame({"a": pd.arrays.SparseArray([1.0, 0.0, 3.0], fill_value=0.0)})
    out = ZScoreScaler(with_mean=False).fit(X).transform(X)
    assert sparse.issparse(out)
    with pytest.raises(TypeError, match="with_mean=False"):
        ZScoreScaler().fit(X)  # refused at fit, as a scipy matrix is


def test_lazy_frame_asks_for_collect():
    with pytest.raises(TypeError, match="collect"):
        ZScoreScaler().fit(pl.LazyFrame({"a": [1.0, 2.0]}))
