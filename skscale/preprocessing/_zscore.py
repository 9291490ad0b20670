"""ZScoreScaler: the course's ``z_score_normalize``, learned on the training rows."""

from __future__ import annotations

from numbers import Integral

import numpy as np

from skscale._compat import Interval
from skscale._engine._core import FitPlan, Map
from skscale._engine._map import into
from skscale._engine._stats import ColumnStats
from skscale._engine._validation import feature_names_or_default
from skscale.preprocessing._base import ColumnwiseTransformer


class ZScoreScaler(ColumnwiseTransformer):
    """Standardize each feature by its training mean and standard deviation.

    With the training mean ``mean_`` and ``scale_ = sqrt(var_)``, where
    ``var_ = M2 / (n - ddof)`` (weighted: ``M2 / (W - ddof * u)``, see
    ``ddof``)::

        X_scaled = (X - mean_) / scale_

    ``ddof=0`` equals scikit-learn's ``StandardScaler``; ``ddof=1`` equals the
    crash course's ``z_score_normalize``, which uses pandas' ``std``.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the mean. If False, ``mean_`` is still learned but not used.
    with_std : bool, default=True
        Divide by the standard deviation. If False, ``scale_`` is all ones.
    ddof : int, default=0
        Delta degrees of freedom of the variance; ``>= 0``. With
        ``sample_weight``, ``ddof`` is counted in copies of the smallest
        positive weight ``u``: ``var_ = M2 / (W - ddof * u)`` with ``W`` the
        total weight. Integer weights whose smallest is 1 then equal the rows
        repeated, and equal weights of any size (weights summing to 1
        included) give the unweighted variance.
    copy : bool, default=True
        If False, transform a writeable float ndarray in place (and return
        it). Input that cannot be written, such as a pandas frame's values
        under copy-on-write or a read-only memory map, is transformed into
        a new array instead, as scikit-learn's scalers do.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
        Per-feature mean, NaN ignored.
    var_ : ndarray of shape (n_features,)
        Per-feature variance with ``ddof``.
    scale_ : ndarray of shape (n_features,)
        Per-feature divisor: ``sqrt(var_)``, or 1 where that is 0 or
        ``with_std=False``.
    n_samples_seen_ : ndarray of shape (n_features,)
        Number (or total weight) of non-NaN values per feature seen in fit
        and the ``partial_fit`` calls since.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.preprocessing.StandardScaler : The ``ddof=0`` map.

    Notes
    -----
    NaN is ignored in fit and passed through in transform; ±inf is rejected.
    A constant column, or one with no more than ``ddof`` values, has zero
    variance: its ``scale_`` is 1, so it maps to 0 (``StandardScaler``'s
    policy; the course's function divides by zero). As in ``StandardScaler``,
    a variance within the rounding error of the mean
    (``var <= n eps var + (n eps mean)²``, with float64's ``eps``: the
    statistics of every dtype, float32 included, are accumulated in float64)
    counts as zero, and so does a standard deviation below the dtype's smallest
    normal number, whose division would overflow. A column whose variance
    overflows float64 (values beyond about 1e154 in magnitude) raises a
    ``ValueError`` naming it rather than returning wrong z-scores.

    ``partial_fit`` merges chunks exactly with Chan et al.'s pairwise update.
    With ``with_mean=False``, CSR/CSC input is scaled and stays sparse, its
    implicit zeros counted in the statistics. A dask array or DataFrame is
    fitted in one ``dask.compute`` and transformed lazily, block by block.

    References
    ----------
    T. F. Chan, G. H. Golub and R. J. LeVeque, "Updating formulae and a pairwise
    algorithm for computing sample variances", COMPSTAT 1982.

    Examples
    --------
    >>> import numpy as np
    >>> from skscale import ZScoreScaler
    >>> X = np.array([[1.0], [2.0], [3.0]])
    >>> ZScoreScaler(ddof=1).fit_transform(X).ravel()
    array([-1.,  0.,  1.])
    >>> ZScoreScaler().fit(X).scale_.round(4)
    array([0.8165])
    """

    _parameter_constraints: dict = {
        "with_mean": ["boolean"],
        "with_std": ["boolean"],
        "ddof": [Interval(Integral, 0, None, closed="left")],
        "copy": ["boolean"],
    }

    def __init__(self, *, with_mean=True, with_std=True, ddof=0, copy=True):
        self.with_mean = with_mean
        self.with_std = with_std
        self.ddof = ddof
        self.copy = copy

    def _fit_plan(self) -> FitPlan:
        return FitPlan(needs="m2")

    def _learn(self, summary, quantiles, dtype) -> None:
        stats = summary.stats
        self.mean_ = stats.mean
        self.var_ = stats.variance(self.ddof)
        if self.with_std:
            self._reject_overflowed_variance(stats)
            self.scale_ = zscore_scale(self.var_, stats, dtype)
        else:
            self.scale_ = np.ones_like(self.var_)

    def _map(self) -> Map:
        shift = self.mean_ if self.with_mean else np.zeros_like(self.mean_)
        return zscore_map(shift, self.scale_)

    def _reject_overflowed_variance(self, stats) -> None:
        overflowed = np.flatnonzero(
            np.isinf(self.var_) & np.isfinite(stats.min) & np.isfinite(stats.max)
        )
        if overflowed.size:
            names = feature_names_or_default(self, len(self.var_))
            listed = ", ".join(repr(names[j]) for j in overflowed[:10])
            raise ValueError(
                f"The variance of column(s) {listed} overflows float64 (values "
                f"reach {np.max(np.abs(stats.max[overflowed])):.3g}), so "
                "ZScoreScaler cannot standardize them; divide such columns by a "
                "large power of ten first, or scale them with LinearScaler."
            )


def _standardize(xp, X, out, shift, inverse_scale):
    # Multiplying by 1 / scale is faster than dividing, and within an ulp.
    out = into(xp, out, xp.subtract, X, shift)
    return into(xp, out, xp.multiply, out, inverse_scale)


def _unstandardize(xp, X, out, shift, scale):
    out = into(xp, out, xp.multiply, X, scale)
    return into(xp, out, xp.add, out, shift)


def zscore_map(shift, scale) -> Map:
    """``(X - shift) / scale``."""
    advice = (
        "centering subtracts the mean from every implicit zero; set "
        "with_mean=False to only scale, or convert X with X.toarray()."
    )
    inverse = Map(_unstandardize, (shift, scale))
    return Map(_standardize, (shift, 1.0 / scale), inverse, zero_advice=advice)


def zscore_scale(var, stats, dtype) -> np.ndarray:
    """``sqrt(var)``, or 1 where the variance is zero up to rounding (the
    column then maps to 0)."""
    return np.where(_is_constant(var, stats, dtype), 1.0, np.sqrt(var))


def _is_constant(var: np.ndarray, stats: ColumnStats, dtype) -> np.ndarray:
    """Zero variance up to rounding: StandardScaler's bound.

    The rounding that grows with the row count comes from the accumulation,
    which is float64 for every input dtype, so float64's eps is scaled by
    ``n`` (float32's, scaled by 100,000 rows, would call every column of
    float32 data near 2000 constant). The standard deviation must still be a
    normal number of X's dtype, or dividing by it would overflow there.
    """
    eps = np.finfo(np.float64).eps
    # Rounding grows with the number of terms summed, not with their weights.
    n = stats.rows
    mean = np.nan_to_num(stats.mean)
    with np.errstate(over="ignore", invalid="ignore"):
        rounding = n * eps * var + (n * mean * eps) ** 2
        return (var <= rounding) | (np.sqrt(var) < np.finfo(dtype).tiny)
