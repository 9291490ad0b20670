"""The crash course's five functions, under their course names, vectorized.

Each takes a pandas Series or DataFrame, or an array, learns its statistics
from the data it is given (as the course does) and returns the same kind of
object: a Series keeps its index and name, a DataFrame its index and columns,
and errors name the Series or the column. Missing values (NaN, ``None``,
``pd.NA``) pass through as NaN.
For statistics learned on training rows only, use the transformers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from skscale.preprocessing._clip import Clipper
from skscale.preprocessing._linear import LinearScaler
from skscale.preprocessing._log import LogTransformer
from skscale.preprocessing._threshold import BinaryThresholder
from skscale.preprocessing._zscore import ZScoreScaler

# What the course functions take and give back: the same kind of object.
SeriesLike = pd.Series | pd.DataFrame | ArrayLike


def _named(names) -> list[str]:
    """Column names as the transformers' errors should quote them."""
    return [f"x{j}" if name is None else str(name) for j, name in enumerate(names)]


def _apply(transformer, data):
    """Fit-transform ``data`` column-wise and return it in its own kind.

    Series and frames reach the transformer as frames, so that errors name
    the Series' or the frame's columns and pandas' missing values (``pd.NA``
    in nullable and object columns) are read as NaN.
    """
    if isinstance(data, pd.Series):
        frame = data.to_frame(name=_named([data.name])[0])
        values = np.asarray(transformer.fit_transform(frame))
        return pd.Series(values[:, 0], index=data.index, name=data.name)
    if isinstance(data, pd.DataFrame):
        values = transformer.fit_transform(data.set_axis(_named(data.columns), axis=1))
        return pd.DataFrame(np.asarray(values), index=data.index, columns=data.columns)
    array = np.asarray(data)
    if array.ndim == 1:
        return transformer.fit_transform(array.reshape(-1, 1))[:, 0]
    return transformer.fit_transform(array)


def linear_scale(series: SeriesLike) -> SeriesLike:
    """Scale to [-1, 1]: ``(x - min) / ((max - min) / 2) - 1``.

    A constant input maps to -1 (the course's function divides by zero).

    Examples
    --------
    >>> import pandas as pd
    >>> linear_scale(pd.Series([0.0, 5.0, 10.0], name="age")).tolist()
    [-1.0, 0.0, 1.0]
    """
    return _apply(LinearScaler(), series)


def log_normalize(series: SeriesLike) -> SeriesLike:
    """``log(x + 1)``; values ``<= -1`` raise a ValueError naming the column.

    Computed as ``np.log1p``, which keeps the digits of values near 0.

    Examples
    --------
    >>> import numpy as np
    >>> log_normalize(np.array([0.0, np.e - 1, 1e-17])).round(12).tolist()
    [0.0, 1.0, 0.0]
    >>> float(log_normalize(np.array([1e-17]))[0])
    1e-17
    """
    return _apply(LogTransformer(offset=1.0), series)


def clip(series: SeriesLike, clip_to_min: float, clip_to_max: float) -> SeriesLike:
    """``min(max(x, clip_to_min), clip_to_max)``.

    Examples
    --------
    >>> import pandas as pd
    >>> clip(pd.Series([-1.0, 3.0, 9.0]), 0, 5).tolist()
    [0.0, 3.0, 5.0]
    """
    return _apply(Clipper(lower=clip_to_min, upper=clip_to_max), series)


def z_score_normalize(series: SeriesLike) -> SeriesLike:
    """``(x - mean) / std`` with pandas' ``std`` (``ddof=1``).

    A constant input maps to 0 (the course's function divides by zero).

    Examples
    --------
    >>> import pandas as pd
    >>> z_score_normalize(pd.Series([1.0, 2.0, 3.0])).tolist()
    [-1.0, 0.0, 1.0]
    """
    return _apply(ZScoreScaler(ddof=1), series)


def binary_threshold(series: SeriesLike, threshold: float) -> SeriesLike:
    """``1 if x > threshold else 0``, strictly greater; NaN stays NaN.

    Missing values stay missing, whatever their form: NaN, ``None``, and
    pandas' ``pd.NA`` (in a nullable ``boolean``, ``Int64`` or ``Float64``
    Series, or an object one) all map to NaN, as in every skscale
    transformer. The result is float64, so it can hold them.

    Examples
    --------
    >>> import pandas as pd
    >>> binary_threshold(pd.Series([1.0, 2.0, 3.0]), 2.0).tolist()
    [0.0, 0.0, 1.0]
    """
    return _apply(BinaryThresholder(threshold=threshold), series)
