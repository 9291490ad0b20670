"""The course's five normalizations as scikit-learn transformers and functions."""

from skscale.preprocessing._auto import AutoScaler
from skscale.preprocessing._clip import Clipper
from skscale.preprocessing._functions import (
    binary_threshold,
    clip,
    linear_scale,
    log_normalize,
    z_score_normalize,
)
from skscale.preprocessing._linear import LinearScaler
from skscale.preprocessing._log import LogTransformer
from skscale.preprocessing._piecewise import PiecewiseLinearEncoder
from skscale.preprocessing._quantile_normalizer import QuantileNormalizer
from skscale.preprocessing._threshold import BinaryThresholder
from skscale.preprocessing._zscore import ZScoreScaler

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
