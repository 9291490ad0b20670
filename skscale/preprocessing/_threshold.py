"""BinaryThresholder: the course's ``binary_threshold``, fixed or learned."""

from __future__ import annotations

from numbers import Real

import numpy as np

from skscale._base import ColumnwiseTransformer, per_feature
from skscale._compat import StrOptions, _fit_context

_KEEP_ZERO_ADVICE = (
    "0 would map to 1, which would densify the matrix; use a threshold >= 0, or "
    "convert X with X.toarray()."
)


def _learns(threshold, statistic: str) -> bool:
    return isinstance(threshold, str) and threshold == statistic


class BinaryThresholder(ColumnwiseTransformer):
    """Map each feature to 1 above a threshold and 0 elsewhere.

    ::

        X_binary = 1.0 if X > threshold_ else 0.0

    Strictly greater, as the crash course's ``binary_threshold``. The
    threshold is fixed, or learned per column as its training mean or median.

    Parameters
    ----------
    threshold : float, array-like of shape (n_features,), "mean" or "median", \
            default=0.0
        The threshold for all columns, one per column, or the statistic to
        learn it from (``"mean"`` as ``np.nanmean``, ``"median"`` as
        ``np.nanmedian`` computes them).
    copy : bool, default=True
        If False, transform a writeable float ndarray in place (and return
        it). Input that cannot be written, such as a pandas frame's values
        under copy-on-write or a read-only memory map, is transformed into
        a new array instead, as scikit-learn's scalers do.

    Attributes
    ----------
    threshold_ : ndarray of shape (n_features,)
        The threshold per column.
    n_samples_seen_ : ndarray of shape (n_features,)
        Number (or total weight) of non-NaN values per feature seen in fit
        and the ``partial_fit`` calls since.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.preprocessing.Binarizer : The fixed-threshold map, without NaN
        pass-through or learned thresholds.

    Notes
    -----
    The output is in X's float dtype (integers become float64) and holds only
    0.0, 1.0 and NaN: NaN passes through, and NaN is ignored when learning the
    mean or median; ±inf is rejected. A constant column's learned threshold
    equals its value, so it maps to 0. A column that is all NaN in fit learns
    a NaN threshold, and every value compares as not greater: 0.
    Thresholding is not invertible, so there is no ``inverse_transform``.

    ``fit`` learns an exact median; ``partial_fit`` (and a fit on Dask input)
    reads it from a mergeable quantile sketch
    (:class:`skscale._sketch.QuantileSketch`) with a documented rank-error
    bound, while the mean merges exactly. CSR/CSC input is binarized and
    stays sparse when every threshold is ``>= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from skscale import BinaryThresholder
    >>> X = np.array([[1.0], [2.0], [np.nan], [10.0]])
    >>> BinaryThresholder(threshold=2.0).fit_transform(X).ravel()
    array([ 0.,  0., nan,  1.])
    >>> BinaryThresholder(threshold="median").fit(X).threshold_
    array([2.])
    """

    _parameter_constraints: dict = {
        "threshold": [Real, "array-like", StrOptions({"mean", "median"})],
        "copy": ["boolean"],
    }

    def __init__(self, threshold=0.0, *, copy=True):
        self.threshold = threshold
        self.copy = copy

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Learn (or set) each column's threshold; a learned median is exact.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            Training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of the learned mean or median. A row of weight ``w``
            counts as ``w / u`` copies, ``u`` the smallest positive weight:
            only the weights' proportions matter (equal weights of any size
            give the unweighted threshold), integer weights whose smallest
            is 1 equal the rows repeated, and the weighted median lies within
            one interpolation step of ``np.percentile(..., weights=...,
            method="inverted_cdf")``. Rows of zero weight are ignored.

        Returns
        -------
        self : BinaryThresholder
            The fitted thresholder.
        """
        self._check_threshold()
        return self._fit_chunks(X, sample_weight, reset=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the learned threshold with a chunk of rows.

        The mean merges exactly; the median comes from a quantile sketch.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            A chunk of training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of the learned mean or median, counted as in ``fit``.

        Returns
        -------
        self : BinaryThresholder
            The updated thresholder.
        """
        self._check_threshold()
        return self._fit_chunks(X, sample_weight, reset=False)

    def _check_threshold(self) -> None:
        """A fixed threshold must be finite: NaN would map every value to 0."""
        if isinstance(self.threshold, str):
            return
        values = np.asarray(self.threshold)
        if values.dtype.kind in "fc" and not np.all(np.isfinite(values)):
            raise ValueError(
                "threshold must be finite (or 'mean' or 'median'); got "
                f"threshold={self.threshold!r}."
            )

    def _percents(self):
        return (50.0,) if _learns(self.threshold, "median") else None

    def _set_learned(self, stats, quantiles, dtype) -> None:
        if _learns(self.threshold, "mean"):
            self.threshold_ = stats.mean
        elif _learns(self.threshold, "median"):
            self.threshold_ = quantiles[0]
        else:
            self.threshold_ = per_feature(self.threshold, len(stats.min), "threshold")

    def _sparse_params(self) -> str:
        return f"(threshold={self.threshold!r})"

    def _sparse_refusal(self) -> str | None:
        if isinstance(self.threshold, str):
            return None
        if np.all(np.asarray(self.threshold, dtype=float) >= 0):
            return None
        return _KEEP_ZERO_ADVICE

    def _sparse_transform_refusal(self) -> str | None:
        negative = np.flatnonzero(~(self.threshold_ >= 0))
        if not negative.size:
            return None
        names = self.get_feature_names_out()
        listed = ", ".join(repr(str(names[j])) for j in negative[:10])
        return f"the threshold of column(s) {listed} is negative or NaN; " + (
            _KEEP_ZERO_ADVICE
        )

    def transform(self, X):
        """Binarize X: 1.0 where ``X > threshold_``, else 0.0; NaN stays NaN.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Data to binarize.

        Returns
        -------
        X_binary : ndarray of shape (n_samples, n_features)
            0.0, 1.0 or NaN, in X's float dtype.
        """
        return self._checked_transform(X)

    def _stat_needs(self) -> str:
        return "mean" if _learns(self.threshold, "mean") else "extremes"

    def _block_params(self) -> list:
        return [self.threshold_]

    _nan_sensitive = True

    def _transform(self, X: np.ndarray, out: np.ndarray, columns=None) -> np.ndarray:
        params = self._params_as(X, self.threshold_, columns=columns)
        return self._apply(X, out, params)

    def _apply(self, X, out, params, has_nan=True) -> np.ndarray:
        (threshold,) = params
        # The mask is taken before `out` (which may be X) is overwritten.
        nan = np.isnan(X) if has_nan else None
        np.greater(X, threshold, out=out)
        if nan is not None:
            np.copyto(out, np.nan, where=nan)
        return out
