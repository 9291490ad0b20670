"""The matrix's subjects and peers: one :class:`Spec` per public transformer.

See ``bench_matrix.py`` for what is measured. A peer lookup takes the kind of
input and the call and returns ``(label, factory)``, or a sentence saying why
the cell has no peer.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.preprocessing import (
    Binarizer,
    FunctionTransformer,
    KBinsDiscretizer,
    MinMaxScaler,
    QuantileTransformer,
    StandardScaler,
)

import skscale

HAS = {
    name: importlib.util.find_spec(name) is not None
    for name in ("feature_engine", "dask_ml", "distributed")
}


def is_dask(X) -> bool:
    return type(X).__module__.startswith("dask")


def is_sparse_kind(kind: str) -> bool:
    return kind in ("CSR", "CSC")


class _Reduction:
    """A fit peer that is the numpy (dask.array on Dask) reduction a user
    would write for the statistic: nan-aware where X holds NaN."""

    def __init__(self, name: str):
        self.name = name

    def fit(self, X):
        if is_dask(X):
            import dask.array as da

            self.result_ = getattr(da, f"nan{self.name}")(X, axis=0).compute()
        elif np.isnan(X).any():
            self.result_ = getattr(np, f"nan{self.name}")(X, axis=0)
        else:
            self.result_ = getattr(np, self.name)(X, axis=0)
        return self


class _Frame:
    """feature-engine wants a DataFrame: built inside the timing, as a user
    holding an array would."""

    def __init__(self, estimator):
        self.estimator = estimator

    @staticmethod
    def _frame(X):
        import pandas as pd

        return pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])

    def fit(self, X):
        self.estimator.fit(self._frame(X))
        return self

    def transform(self, X):
        return self.estimator.transform(self._frame(X)).to_numpy()


def _dask_ml(name: str, **params):
    if not HAS["dask_ml"]:
        return "dask-ml not installed"

    def make():
        import dask_ml.preprocessing

        return getattr(dask_ml.preprocessing, name)(**params)

    return f"dask_ml.{name}()", make


def _sklearn(label, make, kind, call, *, sparse_ok=False, nan_ok=True, dask=None):
    """The scikit-learn peer of a cell, or why there is none."""
    short = label.split("(")[0]
    if kind == "Dask":
        if dask is None:
            return f"{short} has no Dask counterpart in dask-ml"
        if call == "partial_fit":
            return "dask-ml's scalers have no partial_fit"
        return dask()
    if is_sparse_kind(kind) and not sparse_ok:
        return f"{short} takes no sparse input"
    if kind.endswith("NaN") and not nan_ok:
        return f"{short} refuses NaN"
    if call == "partial_fit" and not hasattr(make(), "partial_fit"):
        return f"{short} has no partial_fit"
    return label, make


def _reduction(name, kind, call):
    if call == "partial_fit":
        return f"np.{name} has no partial_fit"
    if is_sparse_kind(kind):
        return f"np.{name} is not sparse-aware"
    if kind == "Dask":
        return f"dask.array.nan{name}(X, axis=0)", lambda: _Reduction(name)
    return f"np.{name} / np.nan{name}(X, axis=0)", lambda: _Reduction(name)


def _peer_auto(kind, call):
    return "no peer chooses a normalization per column"


def _peer_threshold(kind, call):
    if call != "transform":
        return _reduction("mean", kind, call)
    make = lambda: Binarizer(threshold=100.0)  # noqa: E731
    return _sklearn(
        "Binarizer(threshold=100)", make, kind, call, sparse_ok=True, nan_ok=False
    )


def _peer_clipper(kind, call):
    if kind == "Dask" or is_sparse_kind(kind):
        return "Winsorizer takes pandas DataFrames only"
    if not HAS["feature_engine"]:
        return "feature-engine not installed"
    if call == "partial_fit":
        return "Winsorizer has no partial_fit"
    from feature_engine.outliers import Winsorizer

    def make():
        return _Frame(
            Winsorizer(
                capping_method="quantiles",
                tail="both",
                fold=0.01,
                missing_values="ignore",
            )
        )

    return "Winsorizer(capping_method='quantiles', fold=0.01)", make


def _peer_linear(kind, call):
    make = lambda: MinMaxScaler(feature_range=(-1, 1))  # noqa: E731
    dask = lambda: _dask_ml("MinMaxScaler", feature_range=(-1, 1))  # noqa: E731
    return _sklearn("MinMaxScaler((-1, 1))", make, kind, call, dask=dask)


def _peer_log(kind, call):
    if call != "transform":
        return _reduction("min", kind, call)
    make = lambda: FunctionTransformer(np.log1p, accept_sparse=True)  # noqa: E731
    return _sklearn("FunctionTransformer(np.log1p)", make, kind, call, sparse_ok=True)


def _peer_piecewise(kind, call):
    def make():
        return KBinsDiscretizer(
            32,
            encode="onehot-dense",
            strategy="quantile",
            subsample=None,
            quantile_method="linear",
        )

    label = "KBinsDiscretizer(32, 'onehot-dense', 'quantile')"
    return _sklearn(label, make, kind, call, nan_ok=False)


def _peer_quantile(kind, call):
    def make():
        return QuantileTransformer(
            n_quantiles=1000, output_distribution="normal", subsample=None
        )

    dask = lambda: _dask_ml(  # noqa: E731
        "QuantileTransformer", n_quantiles=1000, output_distribution="normal"
    )
    label = "QuantileTransformer(1000, 'normal', subsample=None)"
    return _sklearn(label, make, kind, call, sparse_ok=False, dask=dask)


def _peer_zscore(kind, call):
    with_mean = not is_sparse_kind(kind)
    make = lambda: StandardScaler(with_mean=with_mean)  # noqa: E731
    label = "StandardScaler()" if with_mean else "StandardScaler(with_mean=False)"
    dask = lambda: _dask_ml("StandardScaler")  # noqa: E731
    return _sklearn(label, make, kind, call, sparse_ok=True, dask=dask)


@dataclass
class Spec:
    """One transformer: what is fitted and what transforms, given the kind of
    input, and its peers. ``check``: the transform's output equals the
    peer's. ``width``: output columns per input column."""

    transformer: str
    fit_label: str
    transform_label: str
    make: Callable[[str, str], object]  # (kind, call) -> estimator
    peer: Callable[[str, str], tuple | str]
    check: bool = True
    width: int = 1


SPECS = [
    Spec(
        "AutoScaler",
        "AutoScaler()",
        "AutoScaler()",
        lambda kind, call: skscale.AutoScaler(),
        _peer_auto,
        check=False,
    ),
    Spec(
        "BinaryThresholder",
        "BinaryThresholder('mean')",
        "BinaryThresholder(100)",
        lambda kind, call: skscale.BinaryThresholder(
            100.0 if call == "transform" else "mean"
        ),
        _peer_threshold,
    ),
    Spec(
        "Clipper",
        "Clipper(quantile_range=(1, 99))",
        "Clipper(quantile_range=(1, 99))",
        lambda kind, call: skscale.Clipper(quantile_range=(1, 99)),
        _peer_clipper,
    ),
    Spec(
        "LinearScaler",
        "LinearScaler()",
        "LinearScaler()",
        lambda kind, call: skscale.LinearScaler(),
        _peer_linear,
    ),
    Spec(
        "LogTransformer",
        "LogTransformer('auto')",
        "LogTransformer('auto')",
        lambda kind, call: skscale.LogTransformer(offset="auto"),
        _peer_log,
    ),
    Spec(
        "PiecewiseLinearEncoder",
        "PiecewiseLinearEncoder(32)",
        "PiecewiseLinearEncoder(32)",
        lambda kind, call: skscale.PiecewiseLinearEncoder(32),
        _peer_piecewise,
        check=False,
        width=32,
    ),
    Spec(
        "QuantileNormalizer",
        "QuantileNormalizer(1000)",
        "QuantileNormalizer(1000)",
        lambda kind, call: skscale.QuantileNormalizer(1000),
        _peer_quantile,
    ),
    Spec(
        "ZScoreScaler",
        "ZScoreScaler()",
        "ZScoreScaler()",
        lambda kind, call: _zscore(kind),
        _peer_zscore,
    ),
]


def _zscore(kind):
    # Centering would densify a sparse matrix: the sparse cells only scale.
    return skscale.ZScoreScaler(with_mean=not is_sparse_kind(kind))
