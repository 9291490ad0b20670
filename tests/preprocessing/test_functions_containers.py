"""The course functions on pandas containers (issue 10, item 13)."""

import numpy as np
import pandas as pd
import pytest

from skscale.preprocessing import (
    binary_threshold,
    clip,
    linear_scale,
    log_normalize,
    z_score_normalize,
)


@pytest.mark.parametrize(
    "function", [linear_scale, log_normalize, z_score_normalize], ids=repr
)
def test_errors_name_the_series_or_the_frame_column(function):
    with pytest.raises(ValueError, match="'age'"):
        function(pd.Series([1.0, np.inf, 2.0], name="age"))
    frame = pd.DataFrame({"rooms": [1.0, 2.0], "age": [1.0, np.inf]})
    with pytest.raises(ValueError, match="column\\(s\\) 'age'"):
        function(frame)


def test_clip_names_a_non_numeric_series():
    with pytest.raises(ValueError, match="column 'city' .*e.g. 'Fresno'"):
        clip(pd.Series(["1", "Fresno"], name="city", dtype=object), 0, 1)


def test_results_keep_index_and_names_whatever_the_column_labels():
    frame = pd.DataFrame([[1.0, 2.0], [3.0, 5.0]], columns=[0, "b"], index=[7, 8])
    out = linear_scale(frame)
    assert list(out.columns) == [0, "b"] and list(out.index) == [7, 8]
    np.testing.assert_allclose(out.to_numpy(), [[-1.0, -1.0], [1.0, 1.0]])
    series = linear_scale(pd.Series([1.0, 3.0], index=[4, 5]))
    assert series.name is None and list(series.index) == [4, 5]


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([True, None, False], dtype="boolean"),
        pd.Series([1, None, 0], dtype="Int64"),
        pd.Series([True, pd.NA, False], dtype=object),
        pd.Series([1.0, None, 0.0], dtype=object),
    ],
    ids=lambda s: str(s.dtype),
)
def test_binary_threshold_maps_pandas_missing_values_to_nan(series):
    out = binary_threshold(series, 0.5)
    np.testing.assert_array_equal(out.to_numpy(), [1.0, np.nan, 0.0])
    assert out.dtype == np.float64
