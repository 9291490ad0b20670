"""LogTransformer: the course's ``log_normalize`` with a fixed or learned offset."""

from __future__ import annotations

from numbers import Real

import numpy as np

from skscale._base import ColumnwiseTransformer, per_feature, reject_infinite
from skscale._compat import StrOptions, _fit_context, check_is_fitted
from skscale._stats import column_extremes


class LogTransformer(ColumnwiseTransformer):
    """Take the logarithm of each feature after adding an offset.

    ::

        X_log = log(X + offset_)

    The default ``offset=1.0`` is the crash course's ``log_normalize``,
    ``log(x + 1)``. With ``offset="auto"`` the offset is learned per column as
    ``offset_ = 1 - min(0, min(X))``: non-negative columns keep the course's
    ``log(x + 1)`` and a column with negative values is shifted so that its
    training minimum maps to ``log(1) = 0``.

    Parameters
    ----------
    offset : float, array-like of shape (n_features,) or "auto", default=1.0
        The number added before the logarithm, one for all columns, one per
        column, or ``"auto"`` to learn it.
    copy : bool, default=True
        If False, transform a float ndarray in place.

    Attributes
    ----------
    offset_ : ndarray of shape (n_features,)
        The offset added to each column.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.preprocessing.FunctionTransformer : ``FunctionTransformer(np.log1p)``
        is the ``offset=1`` map, without the domain check.

    Notes
    -----
    The logarithm is only defined where ``X + offset_ > 0``. Where that fails,
    in fit or in transform, a ``ValueError`` ("Negative values in data ...")
    names the columns and counts the values, instead of the course's silent
    NaN (its ``log(x + 1)`` on California's negative longitudes). With a fixed
    offset the estimator declares scikit-learn's ``positive_only`` input tag;
    with ``"auto"`` any finite training data is accepted, though held-out data
    below the training minimum by more than the learned offset is rejected.

    NaN is ignored in fit and passed through in transform; ±inf is rejected.
    A constant column is transformed like any other (``log`` of a constant is
    finite). A column that is all NaN in fit gets the offset 1 under ``"auto"``.

    Examples
    --------
    >>> import numpy as np
    >>> from skscale import LogTransformer
    >>> X = np.array([[0.0, -3.0], [np.e - 1, 0.0]])
    >>> LogTransformer(offset="auto").fit(X).offset_
    array([1., 4.])
    >>> LogTransformer().fit_transform(X[:, :1])
    array([[0.],
           [1.]])
    """

    _parameter_constraints: dict = {
        "offset": [Real, "array-like", StrOptions({"auto"})],
        "copy": ["boolean"],
    }

    def __init__(self, offset=1.0, *, copy=True):
        self.offset = offset
        self.copy = copy

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn (or set) each column's offset and check the log's domain.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training data; NaN is ignored.
        y : None
            Ignored.

        Returns
        -------
        self : LogTransformer
            The fitted transformer.
        """
        X = self._validated(X, reset=True)
        col_min, col_max = column_extremes(X)
        reject_infinite(self, X, col_min, col_max)
        if isinstance(self.offset, str):
            self.offset_ = 1.0 - np.fmin(0.0, np.nan_to_num(col_min, nan=0.0))
        else:
            self.offset_ = per_feature(self.offset, X.shape[1], "offset")
        self._check_domain(X, col_min)
        return self

    def _check_domain(self, X: np.ndarray, col_min: np.ndarray) -> None:
        """Raise where ``X + offset_ <= 0``, naming columns and counting values."""
        bad = np.flatnonzero(col_min + self.offset_ <= 0)
        if not bad.size:
            return
        names = self.get_feature_names_out()
        counts = np.sum(X[:, bad] + self.offset_[bad] <= 0, axis=0)
        listed = ", ".join(
            f"{names[j]!r} ({n} values)" for j, n in zip(bad[:10], counts[:10])
        )
        raise ValueError(
            f"Negative values in data passed to LogTransformer: X + offset_ <= 0 in "
            f"column(s) {listed}, where the logarithm is undefined. Use "
            "offset='auto' to learn a shift from the training data, or a larger "
            "offset."
        )

    def transform(self, X):
        """Apply ``log(X + offset_)``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Data to transform; NaN passes through.

        Returns
        -------
        X_log : ndarray of shape (n_samples, n_features)
            Transformed data, in X's float dtype.
        """
        check_is_fitted(self)
        X = self._validated(X, reset=False)
        col_min, col_max = column_extremes(X)
        reject_infinite(self, X, col_min, col_max)
        self._check_domain(X, col_min)
        return self._transform(X, self._output_buffer(X))

    def _transform(self, X: np.ndarray, out: np.ndarray) -> np.ndarray:
        (offset,) = self._params_as(X, self.offset_)
        np.add(X, offset, out=out)
        np.log(out, out=out)
        return out

    def inverse_transform(self, X):
        """Map log-transformed data back: ``exp(X) - offset_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Log-transformed data.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            Data in the original units.
        """
        check_is_fitted(self)
        X = self._validated(X, reset=False)
        reject_infinite(self, X)
        (offset,) = self._params_as(X, self.offset_)
        out = self._output_buffer(X)
        np.exp(X, out=out)
        np.subtract(out, offset, out=out)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = not isinstance(self.offset, str)
        return tags
