"""skscale: feature normalization for neural networks on tabular data."""

from skscale._config import config_context, get_config, set_config
from skscale.neural_network import DropoutMLPClassifier, DropoutMLPRegressor
from skscale.preprocessing import (
    AutoScaler,
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

__version__ = "0.1.0"

__all__ = [
    "AutoScaler",
    "BinaryThresholder",
    "Clipper",
    "DropoutMLPClassifier",
    "DropoutMLPRegressor",
    "LinearScaler",
    "LogTransformer",
    "ZScoreScaler",
    "__version__",
    "binary_threshold",
    "clip",
    "config_context",
    "get_config",
    "linear_scale",
    "log_normalize",
    "set_config",
    "z_score_normalize",
]
