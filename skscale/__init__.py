"""skscale: feature normalization for neural networks on tabular data.

The public names load on first use (PEP 562): ``import skscale`` and
``skscale --help`` do not import numpy, pandas or scikit-learn, and
``from skscale import ZScoreScaler`` imports only what that name needs.
To add a public name, add it to ``_LAZY`` (name -> module) and to ``__all__``;
a test keeps the two equal.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from skscale._version import __version__

# public name -> the module that defines it
_LAZY = {
    "AutoScaler": "skscale.preprocessing",
    "BinaryThresholder": "skscale.preprocessing",
    "Clipper": "skscale.preprocessing",
    "LinearScaler": "skscale.preprocessing",
    "LogTransformer": "skscale.preprocessing",
    "PiecewiseLinearEncoder": "skscale.preprocessing",
    "QuantileNormalizer": "skscale.preprocessing",
    "ZScoreScaler": "skscale.preprocessing",
    "binary_threshold": "skscale.preprocessing",
    "clip": "skscale.preprocessing",
    "config_context": "skscale._engine._config",
    "get_config": "skscale._engine._config",
    "set_config": "skscale._engine._config",
    "linear_scale": "skscale.preprocessing",
    "log_normalize": "skscale.preprocessing",
    "z_score_normalize": "skscale.preprocessing",
    "DropoutMLPClassifier": "skscale.neural_network",
    "DropoutMLPRegressor": "skscale.neural_network",
}

__all__ = [
    "AutoScaler",
    "BinaryThresholder",
    "Clipper",
    "DropoutMLPClassifier",
    "DropoutMLPRegressor",
    "LinearScaler",
    "LogTransformer",
    "PiecewiseLinearEncoder",
    "QuantileNormalizer",
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

if TYPE_CHECKING:  # static analysers and IDEs see ordinary imports
    from skscale._engine._config import config_context, get_config, set_config
    from skscale.neural_network import DropoutMLPClassifier, DropoutMLPRegressor
    from skscale.preprocessing import (
        AutoScaler,
        BinaryThresholder,
        Clipper,
        LinearScaler,
        LogTransformer,
        PiecewiseLinearEncoder,
        QuantileNormalizer,
        ZScoreScaler,
        binary_threshold,
        clip,
        linear_scale,
        log_normalize,
        z_score_normalize,
    )


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'skscale' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
