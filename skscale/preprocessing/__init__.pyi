# The public types of skscale.preprocessing (see skscale/_typing.pyi for why
# stubs). tests/test_typing.py holds every signature, Literal option and
# documented attribute here to the runtime classes.
from typing import Any, Literal, TypeVar, overload

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from skscale._typing import ColumnwiseTransformer, PerColumn

__all__ = [
    "AutoScaler",
    "BinaryThresholder",
    "Clipper",
    "LinearScaler",
    "LogTransformer",
    "PiecewiseLinearEncoder",
    "QuantileNormalizer",
    "ZScoreScaler",
    "binary_threshold",
    "clip",
    "linear_scale",
    "log_normalize",
    "z_score_normalize",
]

class LinearScaler(ColumnwiseTransformer):
    data_min_: NDArray[np.floating[Any]]
    data_max_: NDArray[np.floating[Any]]
    data_range_: NDArray[np.floating[Any]]
    scale_: NDArray[np.floating[Any]]
    min_: NDArray[np.floating[Any]]
    def __init__(
        self,
        feature_range: tuple[float, float] = (-1.0, 1.0),
        *,
        clip: bool = False,
        copy: bool = True,
    ) -> None: ...

class LogTransformer(ColumnwiseTransformer):
    offset_: NDArray[np.floating[Any]]
    def __init__(
        self, offset: PerColumn | Literal["auto"] = 1.0, *, copy: bool = True
    ) -> None: ...

class Clipper(ColumnwiseTransformer):
    lower_: NDArray[np.floating[Any]]
    upper_: NDArray[np.floating[Any]]
    def __init__(
        self,
        lower: PerColumn | None = None,
        *,
        upper: PerColumn | None = None,
        quantile_range: tuple[float, float] | None = None,
        copy: bool = True,
    ) -> None: ...

class ZScoreScaler(ColumnwiseTransformer):
    mean_: NDArray[np.floating[Any]]
    var_: NDArray[np.floating[Any]]
    scale_: NDArray[np.floating[Any]]
    def __init__(
        self,
        *,
        with_mean: bool = True,
        with_std: bool = True,
        ddof: int = 0,
        copy: bool = True,
    ) -> None: ...

class BinaryThresholder(ColumnwiseTransformer):
    threshold_: NDArray[np.floating[Any]]
    def __init__(
        self,
        threshold: PerColumn | Literal["mean", "median"] = 0.0,
        *,
        copy: bool = True,
    ) -> None: ...

class AutoScaler(ColumnwiseTransformer):
    strategies_: list[str]
    reasons_: list[str]
    skewness_: NDArray[np.floating[Any]]
    outlier_share_: NDArray[np.floating[Any]]
    steps_: list[tuple[str, NDArray[np.intp], Any]]
    def __init__(
        self,
        *,
        skew_threshold: float = 1.0,
        outlier_threshold: float = 0.01,
        quantile_range: tuple[float, float] = (1.0, 99.0),
        scaler: Literal["linear", "zscore"] = "linear",
        copy: bool = True,
    ) -> None: ...
    def report(self) -> pd.DataFrame: ...

class QuantileNormalizer(ColumnwiseTransformer):
    quantiles_: NDArray[np.floating[Any]]
    references_: NDArray[np.floating[Any]]
    n_quantiles_: int
    def __init__(
        self,
        n_quantiles: int = 1000,
        *,
        output_distribution: Literal["normal", "uniform"] = "normal",
        copy: bool = True,
    ) -> None: ...

class PiecewiseLinearEncoder(ColumnwiseTransformer):
    bin_edges_: NDArray[np.object_]
    n_bins_: NDArray[np.intp]
    def __init__(self, n_bins: int = 16) -> None: ...

# The course's functions give back the kind of object they are given.
_Data = TypeVar("_Data", pd.Series, pd.DataFrame)

@overload
def linear_scale(series: _Data) -> _Data: ...
@overload
def linear_scale(series: ArrayLike) -> NDArray[np.floating[Any]]: ...
@overload
def log_normalize(series: _Data) -> _Data: ...
@overload
def log_normalize(series: ArrayLike) -> NDArray[np.floating[Any]]: ...
@overload
def clip(series: _Data, clip_to_min: float, clip_to_max: float) -> _Data: ...
@overload
def clip(
    series: ArrayLike, clip_to_min: float, clip_to_max: float
) -> NDArray[np.floating[Any]]: ...
@overload
def z_score_normalize(series: _Data) -> _Data: ...
@overload
def z_score_normalize(series: ArrayLike) -> NDArray[np.floating[Any]]: ...
@overload
def binary_threshold(series: _Data, threshold: float) -> _Data: ...
@overload
def binary_threshold(
    series: ArrayLike, threshold: float
) -> NDArray[np.floating[Any]]: ...
