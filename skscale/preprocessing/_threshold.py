"""BinaryThresholder: the course's ``binary_threshold``, fixed or learned."""

from __future__ import annotations

from numbers import Real

import numpy as np

from skscale._compat import StrOptions
from skscale._engine._core import FitPlan, Map
from skscale._engine._map import into
from skscale._engine._validation import per_feature
from skscale.preprocessing._base import ColumnwiseTransformer

_KEEP_ZERO_ADVICE = (
    "a negative (or NaN) threshold maps 0 to 1; use a threshold >= 0, or "
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
    (:class:`skscale._engine._sketch.QuantileSketch`) with a documented rank-error
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

    def _fit_plan(self) -> FitPlan:
        values = np.asarray(0.0 if isinstance(self.threshold, str) else self.threshold)
        if values.dtype.kind in "fc" and not np.all(np.isfinite(values)):
            raise ValueError(
                "threshold must be finite (or 'mean' or 'median'); got "
                f"threshold={self.threshold!r}."
            )
        if _learns(self.threshold, "median"):
            return FitPlan(needs="extremes", percents=(50.0,))
        return FitPlan(needs="mean" if _learns(self.threshold, "mean") else "extremes")

    def _learn(self, summary, quantiles, dtype) -> None:
        if _learns(self.threshold, "mean"):
            self.threshold_ = summary.stats.mean
        elif _learns(self.threshold, "median"):
            self.threshold_ = quantiles[0]
        else:
            n_features = len(summary.stats.min)
            self.threshold_ = per_feature(self.threshold, n_features, "threshold")

    def _map(self) -> Map:
        return Map(_greater, (self.threshold_,), zero_advice=_KEEP_ZERO_ADVICE)


def _greater(xp, X, out, threshold):
    # 1.0 or 0.0; NaN compares as not greater, and the engine puts it back.
    greater = into(xp, out, xp.greater, X, threshold)
    return greater if xp is np else xp.astype(greater, X.dtype)
