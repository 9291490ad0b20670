"""Clipper: the course's ``clip``, with fixed bounds or bounds learned as quantiles."""

from __future__ import annotations

from numbers import Real

import numpy as np

from skscale._base import ColumnwiseTransformer, per_feature
from skscale._compat import _fit_context

_KEEP_ZERO_ADVICE = (
    "clipping would move implicit zeros and densify the matrix; use bounds with "
    "lower <= 0 <= upper, or convert X with X.toarray()."
)


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
    (:class:`skscale._sketch.QuantileSketch`) whose rank error is at most
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

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Learn (or set) each column's bounds; learned quantiles are exact.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            Training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of the learned quantiles. A row of weight ``w``
            counts as ``w / u`` copies, ``u`` the smallest positive weight:
            only the weights' proportions matter (equal weights of any size
            give the unweighted bounds), integer weights whose smallest is 1
            equal the rows repeated, and a weighted median lies within one
            interpolation step of ``np.percentile(..., weights=...,
            method="inverted_cdf")``. Rows of zero weight are ignored.

        Returns
        -------
        self : Clipper
            The fitted clipper.
        """
        self._check_params()
        return self._fit_chunks(X, sample_weight, reset=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the learned bounds with a chunk of rows, through a quantile sketch.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            A chunk of training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of the learned quantiles, counted as in ``fit``.

        Returns
        -------
        self : Clipper
            The updated clipper.
        """
        self._check_params()
        return self._fit_chunks(X, sample_weight, reset=False)

    def _percents(self):
        return self.quantile_range

    def _set_learned(self, stats, quantiles, dtype) -> None:
        n_features = len(stats.min)
        if self.quantile_range is not None:
            lower, upper = quantiles
            # An all-NaN column has no quantiles: leave it unbounded.
            self.lower_ = np.where(np.isnan(lower), -np.inf, lower)
            self.upper_ = np.where(np.isnan(upper), np.inf, upper)
            return
        self.lower_ = self._bound(self.lower, n_features, "lower", -np.inf)
        self.upper_ = self._bound(self.upper, n_features, "upper", np.inf)
        crossed = np.flatnonzero(self.lower_ > self.upper_)
        if crossed.size:
            raise ValueError(
                f"lower must not exceed upper; got lower={self.lower!r}, "
                f"upper={self.upper!r} (crossed at feature index "
                f"{crossed.tolist()})."
            )

    def _sparse_params(self) -> str:
        return f"(lower={self.lower!r}, upper={self.upper!r})"

    def _sparse_refusal(self) -> str | None:
        if self.quantile_range is not None:
            return None
        lower = -np.inf if self.lower is None else np.asarray(self.lower, dtype=float)
        upper = np.inf if self.upper is None else np.asarray(self.upper, dtype=float)
        if np.all(lower <= 0) and np.all(upper >= 0):
            return None
        return _KEEP_ZERO_ADVICE

    def _sparse_transform_refusal(self) -> str | None:
        outside = np.flatnonzero((self.lower_ > 0) | (self.upper_ < 0))
        if not outside.size:
            return None
        names = self.get_feature_names_out()
        listed = ", ".join(repr(str(names[j])) for j in outside[:10])
        return f"0 lies outside the bounds of column(s) {listed}; " + _KEEP_ZERO_ADVICE

    def _check_params(self) -> None:
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
            return
        quantiles = self.quantile_range
        if (
            len(quantiles) != 2
            or not all(np.isscalar(q) and np.isfinite(q) for q in quantiles)
            or not 0 <= quantiles[0] < quantiles[1] <= 100
        ):
            raise ValueError(
                "quantile_range must be a tuple (p, q) of percentiles with "
                f"0 <= p < q <= 100; got quantile_range={quantiles!r}."
            )
        if self.lower is not None or self.upper is not None:
            raise ValueError(
                "Set either quantile_range or fixed bounds, not both; got "
                f"quantile_range={quantiles!r}, lower={self.lower!r}, "
                f"upper={self.upper!r}."
            )

    @staticmethod
    def _bound(value, n_features: int, name: str, unbounded: float) -> np.ndarray:
        if value is None:
            return np.full(n_features, unbounded)
        bound = per_feature(value, n_features, name)
        if np.isnan(bound).any():
            raise ValueError(f"{name}={value!r} must not contain NaN.")
        return bound

    def transform(self, X):
        """Clip X to the bounds.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Data to clip; NaN passes through.

        Returns
        -------
        X_clipped : ndarray of shape (n_samples, n_features)
            Clipped data, in X's float dtype.
        """
        return self._checked_transform(X)

    def _stat_needs(self) -> str:
        return "extremes"

    def _block_params(self) -> list:
        return [self.lower_, self.upper_]

    def _transform(self, X: np.ndarray, out: np.ndarray, columns=None) -> np.ndarray:
        params = self._params_as(X, self.lower_, self.upper_, columns=columns)
        return self._apply(X, out, params)

    def _apply(self, X, out, params, has_nan=True) -> np.ndarray:
        lower, upper = params
        # np.clip's own loop, with two array bounds, is slower than this pair.
        np.maximum(X, lower, out=out)
        return np.minimum(out, upper, out=out)
