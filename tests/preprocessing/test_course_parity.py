"""skscale's functions and transformers equal the crash course's pandas code.

The reference functions below are written as the course writes them: one
``Series.apply`` call per value, statistics from the Series they are given.
"""

import math

import numpy as np
import pandas as pd
import pytest

from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
    binary_threshold,
    clip,
    linear_scale,
    log_normalize,
    z_score_normalize,
)


def course_linear_scale(series):
    min_val = series.min()
    max_val = series.max()
    scale = (max_val - min_val) / 2.0
    return series.apply(lambda x: ((x - min_val) / scale) - 1.0)


def course_log_normalize(series):
    return series.apply(lambda x: math.log(x + 1.0))


def course_clip(series, clip_to_min, clip_to_max):
    return series.apply(lambda x: min(max(x, clip_to_min), clip_to_max))


def course_z_score_normalize(series):
    mean = series.mean()
    std_dv = series.std()
    return series.apply(lambda x: (x - mean) / std_dv)


def course_binary_threshold(series, threshold):
    return series.apply(lambda x: 1 if x > threshold else 0)


@pytest.fixture
def housing_like():
    rng = np.random.default_rng(0)
    return pd.Series(rng.lognormal(7.0, 1.0, size=500), name="total_rooms")


CASES = [
    (linear_scale, course_linear_scale, (), LinearScaler()),
    (log_normalize, course_log_normalize, (), LogTransformer()),
    (clip, course_clip, (500.0, 2000.0), Clipper(500.0, upper=2000.0)),
    (z_score_normalize, course_z_score_normalize, (), ZScoreScaler(ddof=1)),
    (binary_threshold, course_binary_threshold, (1000.0,), BinaryThresholder(1000.0)),
]


@pytest.mark.parametrize(
    "ours, course, args, transformer", CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_function_and_transformer_match_course(
    housing_like, ours, course, args, transformer
):
    expected = course(housing_like, *args).astype(float)
    result = ours(housing_like, *args)
    assert isinstance(result, pd.Series)
    assert result.name == housing_like.name
    pd.testing.assert_index_equal(result.index, housing_like.index)
    np.testing.assert_allclose(result.to_numpy(), expected.to_numpy(), rtol=1e-12)
    fitted = transformer.fit_transform(housing_like.to_frame())[:, 0]
    np.testing.assert_allclose(fitted, expected.to_numpy(), rtol=1e-12, atol=1e-12)


def test_functions_return_the_kind_they_are_given(housing_like):
    frame = pd.DataFrame({"a": housing_like, "b": housing_like * 2})
    scaled = linear_scale(frame)
    assert isinstance(scaled, pd.DataFrame)
    assert list(scaled.columns) == ["a", "b"]
    np.testing.assert_allclose(scaled["b"], course_linear_scale(frame["b"]))
    array_1d = linear_scale(housing_like.to_numpy())
    assert isinstance(array_1d, np.ndarray) and array_1d.ndim == 1
    array_2d = z_score_normalize(frame.to_numpy())
    assert array_2d.shape == frame.shape


def test_log_normalize_refuses_what_the_course_turns_into_nan():
    longitudes = pd.Series([-122.3, -118.2], name="longitude")
    with pytest.raises(
        ValueError, match="Negative values in data.*'longitude' \\(2 values\\)"
    ):
        log_normalize(longitudes)


def test_statistics_are_learned_on_train_and_applied_to_test():
    train = np.array([[0.0], [10.0]])
    test = np.array([[20.0], [5.0]])
    np.testing.assert_allclose(
        LinearScaler().fit(train).transform(test).ravel(), [3.0, 0.0]
    )
    np.testing.assert_allclose(
        ZScoreScaler().fit(train).transform(test).ravel(), [3.0, 0.0]
    )
    np.testing.assert_allclose(
        BinaryThresholder("mean").fit(train).transform(test).ravel(), [1.0, 0.0]
    )
    np.testing.assert_allclose(
        Clipper(quantile_range=(0, 100)).fit(train).transform(test).ravel(),
        [10.0, 5.0],
    )
