# The public types of skscale (see skscale/_typing.pyi for why stubs).
# tests/test_typing.py holds this file to skscale.__all__ and to the runtime
# signatures.
from contextlib import AbstractContextManager
from typing import Any

from skscale.neural_network import DropoutMLPClassifier as DropoutMLPClassifier
from skscale.neural_network import DropoutMLPRegressor as DropoutMLPRegressor
from skscale.preprocessing import AutoScaler as AutoScaler
from skscale.preprocessing import BinaryThresholder as BinaryThresholder
from skscale.preprocessing import Clipper as Clipper
from skscale.preprocessing import LinearScaler as LinearScaler
from skscale.preprocessing import LogTransformer as LogTransformer
from skscale.preprocessing import PiecewiseLinearEncoder as PiecewiseLinearEncoder
from skscale.preprocessing import QuantileNormalizer as QuantileNormalizer
from skscale.preprocessing import ZScoreScaler as ZScoreScaler
from skscale.preprocessing import binary_threshold as binary_threshold
from skscale.preprocessing import clip as clip
from skscale.preprocessing import linear_scale as linear_scale
from skscale.preprocessing import log_normalize as log_normalize
from skscale.preprocessing import z_score_normalize as z_score_normalize

__version__: str
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

def get_config() -> dict[str, Any]: ...
def set_config(
    n_threads: int | None = None,
    parallel_min_elements: int | None = None,
    block_elements: int | None = None,
    transform_block_elements: int | None = None,
    fold_width: int | None = None,
    block_rows: int | None = None,
) -> None: ...
def config_context(
    *,
    n_threads: int | None = ...,
    parallel_min_elements: int | None = ...,
    block_elements: int | None = ...,
    transform_block_elements: int | None = ...,
    fold_width: int | None = ...,
    block_rows: int | None = ...,
) -> AbstractContextManager[None]: ...
