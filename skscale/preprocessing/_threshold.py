"""BinaryThresholder: the course's ``binary_threshold``, fixed or learned."""

from __future__ import annotations

from numbers import Real

import numpy as np

from skscale._base import ColumnwiseTransformer, per_feature, reject_infinite
from skscale._compat import StrOptions, _fit_context, check_is_fitted
from skscale._stats import ColumnStats, column_percentiles


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
        If False, transform a float ndarray in place.

    Attributes
    ----------
    threshold_ : ndarray of shape (n_features,)
        The threshold per column.
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
    def fit(self, X, y=None):
        """Learn (or set) each column's threshold.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training data; NaN is ignored.
        y : None
            Ignored.

        Returns
        -------
        self : BinaryThresholder
            The fitted thresholder.
        """
        X = self._validated(X, reset=True)
        if isinstance(self.threshold, str) and self.threshold == "mean":
            stats = ColumnStats.from_array(X)
            reject_infinite(self, X, stats.min, stats.max)
            self.threshold_ = stats.mean
            return self
        reject_infinite(self, X)
        if isinstance(self.threshold, str):
            self.threshold_ = column_percentiles(X, [50.0])[0]
        else:
            self.threshold_ = per_feature(self.threshold, X.shape[1], "threshold")
        return self

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
        check_is_fitted(self)
        X = self._validated(X, reset=False)
        reject_infinite(self, X)
        return self._transform(X, self._output_buffer(X))

    def _transform(self, X: np.ndarray, out: np.ndarray) -> np.ndarray:
        (threshold,) = self._params_as(X, self.threshold_)
        above = np.greater(X, threshold)
        # X * 0 is 0 for finite values and NaN for NaN: NaN passes through
        # without a mask. (±inf was rejected above.)
        np.multiply(X, 0, out=out)
        np.add(out, above, out=out)
        return out
