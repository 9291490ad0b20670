"""Clipper: the course's ``clip``, with fixed bounds or bounds learned as quantiles."""

from __future__ import annotations

from numbers import Real

import numpy as np

from skscale._engine._core import FitPlan, Map
from skscale._engine._map import into
from skscale._engine._validation import per_feature
from skscale.preprocessing._base import ColumnwiseTransformer


class Clipper(ColumnwiseTransformer):
    """Clip each feature to a lower and an upper bound, fixed or learned.

    ::

        X_clipped = min(max(X, lower_), upper_)

    With fixed ``lower``/``upper`` this is the crash course's
    ``clip(series, clip_to_min, clip_to_max)``. With ``quantile_range=(p, q)``
    the bounds are learned per column as the ``p``-th and ``q``-th percentiles
    of the training data, as numpy's default ``np.percentile`` computes them
    (learned capping, "winsorizing").

    Parameters
    ----------
    lower : float, array-like of shape (n_features,) or None, default=None
        Fixed lower bound, one for all columns or one per column; None means
        unbounded below.
    upper : float, array-like of shape (n_features,) or None, default=None
        Fixed upper bound; None means unbounded above.
    quantile_range : tuple (p, q) or None, default=None
        Percentiles, ``0 <= p < q <= 100``, of the bounds to learn. When set,
        ``lower`` and ``upper`` must be None.
    copy : bool, default=True
        If False, transform a writeable float ndarray in place (and return
        it). Input that cannot be written, such as a pandas frame's values
        under copy-on-write or a read-only memory map, is transformed into
        a new array instead, as scikit-learn's scalers do.

    Attributes
    ----------
    lower_ : ndarray of shape (n_features,)
        Lower bound per column, ``-inf`` where unbounded.
    upper_ : ndarray of shape (n_features,)
        Upper bound per column, ``inf`` where unbounded.
    n_samples_seen_ : ndarray of shape (n_features,)
        Number (or total weight) of non-NaN values per feature seen in fit
        and the ``partial_fit`` calls since.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    feature_engine.outliers.Winsorizer : Learned capping in feature-engine.
    numpy.clip : The map itself.

    Notes
    -----
    NaN is ignored when learning quantiles and passed through in transform;
    ±inf is rejected. A constant column learns equal bounds and stays
    constant. A column that is all NaN in fit is left unbounded. Clipping is
    idempotent and not invertible, so there is no ``inverse_transform``.

    ``fit`` learns exact quantiles; ``partial_fit`` (and a fit on Dask input)
    learns them from a mergeable quantile sketch
    (:class:`skscale._engine._sketch.QuantileSketch`) whose rank error is at most
    ``(1 + log2(number of chunks)) / 2048`` of the column's weight, plus one
    row. CSR/CSC input is clipped and stays sparse when 0 lies within the
    bounds (implicit zeros count in the learned quantiles).

    Examples
    --------
    >>> import numpy as np
    >>> from skscale import Clipper
    >>> X = np.array([[-5.0], [0.0], [3.0], [100.0]])
    >>> Clipper(lower=0, upper=10).fit_transform(X).ravel()
    array([ 0.,  0.,  3., 10.])
    >>> Clipper(quantile_range=(0, 50)).fit(X).upper_
    array([1.5])
    """

    _parameter_constraints: dict = {
        "lower": [Real, "array-like", None],
        "upper": [Real, "array-like", None],
        "quantile_range": [tuple, None],
        "copy": ["boolean"],
    }

    def __init__(self, lower=None, *, upper=None, quantile_range=None, copy=True):
        self.lower = lower
        self.upper = upper
        self.quantile_range = quantile_range
        self.copy = copy

    def _fit_plan(self) -> FitPlan:
        for name, value, sign in (("lower", self.lower, 1), ("upper", self.upper, -1)):
            # lower=+inf (upper=-inf) would map every value to ±inf; NaN to NaN.
            values = np.asarray(0.0 if value is None else value)
            if values.dtype.kind in "fc" and np.any(
                np.isnan(values) | (values * sign == np.inf)
            ):
                raise ValueError(
                    f"{name} must be a number that bounds the data (None for "
                    f"no bound); got {name}={value!r}."
                )
        if self.quantile_range is None:
            return FitPlan(needs="extremes")
        check_quantile_range(self.quantile_range)
        if self.lower is not None or self.upper is not None:
            raise ValueError(
                "Set either quantile_range or fixed bounds, not both; got "
                f"quantile_range={self.quantile_range!r}, lower={self.lower!r}, "
                f"upper={self.upper!r}."
            )
        return FitPlan(needs="extremes", percents=tuple(self.quantile_range))

    def _learn(self, summary, quantiles, dtype) -> None:
        if self.quantile_range is not None:
            # An all-NaN column has no quantiles: leave it unbounded.
            self.lower_ = np.where(np.isnan(quantiles[0]), -np.inf, quantiles[0])
            self.upper_ = np.where(np.isnan(quantiles[1]), np.inf, quantiles[1])
            return
        n_features = len(summary.stats.min)
        self.lower_ = _bound(self.lower, n_features, "lower", -np.inf)
        self.upper_ = _bound(self.upper, n_features, "upper", np.inf)
        crossed = np.flatnonzero(self.lower_ > self.upper_)
        if crossed.size:
            raise ValueError(
                f"lower must not exceed upper; got lower={self.lower!r}, "
                f"upper={self.upper!r} (crossed at feature index "
                f"{crossed.tolist()})."
            )

    def _map(self) -> Map:
        return clip_map(self.lower_, self.upper_)


def _clip(xp, X, out, lower, upper):
    # np.clip's own loop, with two array bounds, is slower than this pair.
    out = into(xp, out, xp.maximum, X, lower)
    return into(xp, out, xp.minimum, out, upper)


def clip_map(lower, upper) -> Map:
    """``min(max(X, lower), upper)``: not invertible."""
    advice = (
        "0 lies outside the bounds there; use bounds with lower <= 0 <= upper, "
        "or convert X with X.toarray()."
    )
    return Map(_clip, (lower, upper), zero_advice=advice)


def check_quantile_range(quantile_range) -> None:
    """Raise unless ``quantile_range`` is ``(p, q)`` with ``0 <= p < q <= 100``."""
    if (
        len(quantile_range) != 2
        or not all(np.isscalar(q) and np.isfinite(q) for q in quantile_range)
        or not 0 <= quantile_range[0] < quantile_range[1] <= 100
    ):
        raise ValueError(
            "quantile_range must be a tuple (p, q) of percentiles with "
            f"0 <= p < q <= 100; got quantile_range={quantile_range!r}."
        )


def _bound(value, n_features: int, name: str, unbounded: float) -> np.ndarray:
    if value is None:
        return np.full(n_features, unbounded)
    bound = per_feature(value, n_features, name)
    if np.isnan(bound).any():
        raise ValueError(f"{name}={value!r} must not contain NaN.")
    return bound
