"""LinearScaler: the course's ``linear_scale``, learned on the training rows."""

from __future__ import annotations

import numpy as np

from skscale._base import ColumnwiseTransformer, reject_infinite
from skscale._compat import _fit_context, check_is_fitted
from skscale._stats import ColumnStats


class LinearScaler(ColumnwiseTransformer):
    """Scale each feature linearly so that its training range maps to a range.

    With ``feature_range=(a, b)`` and the training minimum and maximum of a
    column, ``min`` and ``max``::

        X_scaled = (X - min) * (b - a) / (max - min) + a = X * scale_ + min_

    The default ``(-1, 1)`` is the crash course's ``linear_scale``:
    ``(x - min) / ((max - min) / 2) - 1``.

    Parameters
    ----------
    feature_range : tuple (low, high), default=(-1.0, 1.0)
        The range the training minimum and maximum map to; ``low < high``.
    clip : bool, default=False
        Clip transformed values of held-out data to ``feature_range``.
    copy : bool, default=True
        If False, transform a writeable float ndarray in place (and return
        it). Input that cannot be written, such as a pandas frame's values
        under copy-on-write or a read-only memory map, is transformed into
        a new array instead, as scikit-learn's scalers do.

    Attributes
    ----------
    data_min_ : ndarray of shape (n_features,)
        Per-feature minimum seen in fit, NaN ignored.
    data_max_ : ndarray of shape (n_features,)
        Per-feature maximum seen in fit, NaN ignored.
    data_range_ : ndarray of shape (n_features,)
        ``data_max_ - data_min_``.
    scale_ : ndarray of shape (n_features,)
        Per-feature multiplier.
    min_ : ndarray of shape (n_features,)
        Per-feature offset added after scaling.
    n_samples_seen_ : ndarray of shape (n_features,)
        Number (or total weight) of non-NaN values per feature seen in fit
        and the ``partial_fit`` calls since.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.preprocessing.MinMaxScaler : The same map; ``LinearScaler`` keeps
        float32 for polars input and names the column in its errors.

    Notes
    -----
    NaN is ignored in fit and passed through in transform; ±inf is rejected.
    A constant column maps to ``feature_range[0]``, as scikit-learn's
    ``MinMaxScaler`` does, where the course's function divides by zero. A
    column counts as constant when its range is at rounding level for its
    magnitude (``max - min <= 4 eps max(|min|, |max|)``, with ``eps`` of X's
    dtype) or so small that the scale would overflow. Such a column gets
    ``scale_ = 0`` and ``min_ = feature_range[0]``: every value maps exactly
    to ``feature_range[0]`` whatever its magnitude (``X * 2 + min_`` would
    lose it beside a ``min_`` near ``-2e16``), and ``inverse_transform``
    returns ``data_min_`` for it. The scale is computed from halves of the
    extremes, so columns near the float limits (``max - min`` overflows) stay
    finite. A ``feature_range`` whose width ``high - low`` overflows is
    refused.
    A column that is all NaN in fit has NaN statistics and stays NaN.

    ``partial_fit`` merges chunks exactly: any split of the rows learns the
    same minimum and maximum as ``fit`` on all of them. Sparse input is
    rejected, as the map moves zeros. A dask array or DataFrame is fitted in
    one ``dask.compute`` and transformed lazily, block by block.

    Examples
    --------
    >>> import numpy as np
    >>> from skscale import LinearScaler
    >>> X = np.array([[0.0, 10.0], [5.0, 20.0], [10.0, 30.0]])
    >>> LinearScaler().fit_transform(X)
    array([[-1., -1.],
           [ 0.,  0.],
           [ 1.,  1.]])
    >>> LinearScaler(feature_range=(0, 1)).fit(X).transform([[20.0, 15.0]])
    array([[2.  , 0.25]])
    """

    _parameter_constraints: dict = {
        "feature_range": [tuple],
        "clip": ["boolean"],
        "copy": ["boolean"],
    }

    def __init__(self, feature_range=(-1.0, 1.0), *, clip=False, copy=True):
        self.feature_range = feature_range
        self.clip = clip
        self.copy = copy

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Learn each feature's minimum and maximum.

        Parameters
        ----------
        X : array-like, DataFrame or dask collection of shape (n_samples, n_features)
            Training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Rows of zero weight are ignored; other weights do not change the
            minimum and maximum.

        Returns
        -------
        self : LinearScaler
            The fitted scaler.
        """
        self._check_feature_range()
        return self._fit_chunks(X, sample_weight, reset=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the minimum and maximum with a chunk of rows.

        Parameters
        ----------
        X : array-like, DataFrame or dask collection of shape (n_samples, n_features)
            A chunk of training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Rows of zero weight are ignored.

        Returns
        -------
        self : LinearScaler
            The updated scaler.
        """
        self._check_feature_range()
        return self._fit_chunks(X, sample_weight, reset=False)

    def _set_learned(self, stats, quantiles, dtype) -> None:
        self._set_statistics(stats, dtype)

    def _sparse_refusal(self) -> str:
        return (
            "it maps 0 to a nonzero value (the training minimum maps to "
            "feature_range[0]), which would densify the matrix; use "
            "ZScoreScaler(with_mean=False) to scale sparse data, or convert X "
            "with X.toarray()."
        )

    def _check_feature_range(self) -> None:
        low_high = self.feature_range
        if (
            len(low_high) != 2
            or not all(np.isscalar(v) and np.isfinite(v) for v in low_high)
            or not low_high[0] < low_high[1]
            or not np.isfinite(float(low_high[1]) - float(low_high[0]))
        ):
            raise ValueError(
                "feature_range must be a tuple (low, high) of finite numbers with "
                "low < high and a width high - low that float64 can hold; got "
                f"feature_range={low_high!r}."
            )

    def _set_statistics(self, stats: ColumnStats, dtype) -> None:
        low, high = (float(v) for v in self.feature_range)
        self.data_min_ = stats.min
        self.data_max_ = stats.max
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            self.data_range_ = stats.max - stats.min
            # Halves first: max - min overflows near the float limits.
            half_range = stats.max / 2 - stats.min / 2
            scale = ((high - low) / 2) / half_range
            magnitude = np.fmax(np.abs(stats.min), np.abs(stats.max))
        # A range at rounding level, or one whose scale overflows, is constant:
        # it keeps a finite scale and maps to `low` (MinMaxScaler's policy).
        finfo = np.finfo(dtype)
        constant = (half_range <= 2 * finfo.eps * magnitude) | ~(
            np.abs(scale) < finfo.max / 4
        )
        nan_column = np.isnan(stats.min)
        self.scale_ = np.where(constant & ~nan_column, 0.0, scale)
        with np.errstate(over="ignore", invalid="ignore"):
            self.min_ = np.where(
                constant & ~nan_column, low, low - self.data_min_ * self.scale_
            )

    def transform(self, X):
        """Scale X with the statistics learned in fit.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Data to scale; NaN passes through.

        Returns
        -------
        X_scaled : ndarray of shape (n_samples, n_features)
            Scaled data, in X's float dtype.
        """
        return self._checked_transform(X)

    def _stat_needs(self) -> str:
        return "extremes"

    def _block_params(self) -> list:
        return [self.scale_, self.min_]

    def _transform(self, X: np.ndarray, out: np.ndarray, columns=None) -> np.ndarray:
        params = self._params_as(X, self.scale_, self.min_, columns=columns)
        return self._apply(X, out, params)

    @property
    def _scan_output(self) -> bool:
        return not self.clip  # clipping would hide ±inf from the output

    def _apply(self, X, out, params, has_nan=True) -> np.ndarray:
        scale, offset = params
        np.multiply(X, scale, out=out)
        np.add(out, offset, out=out)
        if self.clip:
            low, high = self.feature_range
            np.clip(out, low, high, out=out)
        return out

    def inverse_transform(self, X):
        """Map scaled data back to the original units.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Scaled data.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            ``(X - min_) / scale_``; ``data_min_`` in constant columns
            (``scale_ == 0``), NaN staying NaN.
        """
        check_is_fitted(self)
        X = self._validated(X, reset=False)
        reject_infinite(self, X)
        scale, offset = self._params_as(X, self.scale_, self.min_)
        constant = np.flatnonzero(scale == 0)
        # Computed before `out` (which may be X) is overwritten; X * 0 keeps NaN.
        back = X[:, constant] * 0 + self.data_min_[constant].astype(X.dtype)
        out = self._output_buffer(X)
        np.subtract(X, offset, out=out)
        with np.errstate(divide="ignore", invalid="ignore"):
            np.divide(out, scale, out=out)
        out[:, constant] = back
        return out
