"""LogTransformer: the course's ``log_normalize`` with a fixed or learned offset."""

from __future__ import annotations

from numbers import Real

import numpy as np
from scipy import sparse

from skscale._base import (
    ColumnwiseTransformer,
    feature_names_or_default,
    per_feature,
)
from skscale._compat import StrOptions, _fit_context
from skscale._sparse import count_nonpositive

_KEEP_ZERO_ADVICE = (
    "log(0 + offset) is nonzero unless offset is 1, which would densify the "
    "matrix; use offset=1 (the course's log(x + 1)), or convert X with X.toarray()."
)


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
        If False, transform a writeable float ndarray in place (and return
        it). Input that cannot be written, such as a pandas frame's values
        under copy-on-write or a read-only memory map, is transformed into
        a new array instead, as scikit-learn's scalers do.

    Attributes
    ----------
    offset_ : ndarray of shape (n_features,)
        The offset added to each column.
    n_samples_seen_ : ndarray of shape (n_features,)
        Number (or total weight) of non-NaN values per feature seen in fit
        and the ``partial_fit`` calls since.
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
    A fixed offset must be finite. Under ``"auto"``, a column reaching the
    dtype's most negative value has no finite offset with ``X + offset > 0``:
    fit raises a ``ValueError`` naming it.

    ``partial_fit`` merges chunks exactly (the learned offset depends on the
    minimum only). With an offset of 1 (or a learned one that comes out 1),
    CSR/CSC input is transformed and stays sparse, as ``log(0 + 1) = 0``. A
    dask array or DataFrame is fitted in one ``dask.compute`` and transformed
    lazily, block by block.

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
    def fit(self, X, y=None, sample_weight=None):
        """Learn (or set) each column's offset and check the log's domain.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            Training data; NaN is ignored. Sparse input needs an offset of 1.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Rows of zero weight do not count towards the learned minimum.

        Returns
        -------
        self : LogTransformer
            The fitted transformer.
        """
        self._check_offset()
        return self._fit_chunks(X, sample_weight, reset=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the learned offset (or check the domain) with a chunk of rows.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            A chunk of training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Rows of zero weight do not count towards the learned minimum.

        Returns
        -------
        self : LogTransformer
            The updated transformer.
        """
        self._check_offset()
        return self._fit_chunks(X, sample_weight, reset=False)

    def _check_offset(self) -> None:
        """A fixed offset must be finite: NaN or ±inf makes every log NaN or inf."""
        if isinstance(self.offset, str):
            return
        values = np.asarray(self.offset)
        if values.dtype.kind in "fc" and not np.all(np.isfinite(values)):
            raise ValueError(
                f"offset must be finite (or 'auto'); got offset={self.offset!r}."
            )

    def _set_learned(self, stats, quantiles, dtype) -> None:
        if isinstance(self.offset, str):
            col_min = np.nan_to_num(stats.min, nan=0.0)
            offset = (1.0 - np.fmin(0.0, col_min)).astype(dtype)
            # Beyond 2**53 (or 2**24 in float32) 1 - min rounds to -min, and
            # min + offset to 0: step the offset up to the next float instead.
            rounded = col_min.astype(dtype) + offset <= 0
            with np.errstate(over="ignore"):
                stepped = np.nextafter(-col_min[rounded].astype(dtype), np.inf)
            offset[rounded] = stepped
            self._reject_infinite_offset(offset, col_min)
            self.offset_ = offset.astype(np.float64)
        else:
            self.offset_ = per_feature(self.offset, len(stats.min), "offset")

    def _reject_infinite_offset(self, offset, col_min) -> None:
        """A minimum of -max float has no finite offset with min + offset > 0."""
        infinite = np.flatnonzero(~np.isfinite(offset))
        if not infinite.size:
            return
        names = feature_names_or_default(self, len(offset))
        listed = ", ".join(
            f"{names[j]!r} (minimum {col_min[j]:.17g})" for j in infinite[:10]
        )
        raise ValueError(
            f"LogTransformer(offset='auto') cannot shift column(s) {listed}: "
            "no finite offset makes X + offset > 0 at the largest negative "
            f"{np.dtype(offset.dtype).name}. Divide such columns by a large "
            "power of ten first, or clip them."
        )

    def _check_chunk(self, X, stats) -> None:
        if not isinstance(self.offset, str):
            self.offset_ = per_feature(self.offset, X.shape[1], "offset")
            self._check_domain(X, stats.min)

    def _check_transform_input(self, X, col_min: np.ndarray) -> None:
        self._check_domain(X, col_min)

    def _sparse_params(self) -> str:
        return f"(offset={self.offset!r})"

    def _sparse_refusal(self) -> str | None:
        if isinstance(self.offset, str) or np.all(np.asarray(self.offset) == 1):
            return None
        return _KEEP_ZERO_ADVICE

    def _sparse_transform_refusal(self) -> str | None:
        if np.all(self.offset_ == 1):
            return None
        return _KEEP_ZERO_ADVICE

    def _check_domain(self, X: np.ndarray, col_min: np.ndarray) -> None:
        """Raise where ``X + offset_ <= 0``, naming columns and counting values."""
        bad = np.flatnonzero(col_min + self.offset_ <= 0)
        if not bad.size:
            return
        names = self.get_feature_names_out()
        if sparse.issparse(X):
            counts = count_nonpositive(X, bad, self.offset_[bad])
        else:
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
        return self._checked_transform(X)

    def _stat_needs(self) -> str:
        return "extremes"

    def _block_params(self) -> list | None:
        # Offsets near the float limits take the simple path's halves.
        if np.any(self.offset_ > np.finfo(np.float32).max * 2.0**-26):
            return None
        return [self.offset_]

    def _domain_offset(self) -> np.ndarray:
        return self.offset_

    _scan_output = True

    def _apply(self, X, out, params, has_nan=True) -> np.ndarray:
        (offset,) = params
        np.add(X, offset, out=out)
        return np.log(out, out=out)

    def _transform(self, X: np.ndarray, out: np.ndarray, columns=None) -> np.ndarray:
        (offset,) = self._params_as(X, self.offset_, columns=columns)
        # X + offset_ can overflow only where the offset is itself near the
        # float limits (a learned offset for values near -1e308): those
        # columns take log(X/2 + offset/2) + log(2), computed before `out`
        # (which may be X) is overwritten.
        finfo = np.finfo(X.dtype)
        huge = np.flatnonzero(offset > finfo.max * finfo.eps / 4)
        if columns is None and huge.size:
            halves = np.log(X[:, huge] / 2 + offset[huge] / 2) + np.log(2)
        np.add(X, offset, out=out)
        np.log(out, out=out)
        if columns is None and huge.size:
            out[:, huge] = halves
        return out

    def inverse_transform(self, X):
        """Map log-transformed data back: ``exp(X) - offset_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Log-transformed data. A CSR/CSC matrix (what transform returns
            when ``offset_`` is 1) is mapped back and stays sparse.

        Returns
        -------
        X_original : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Data in the original units.
        """
        return self._checked_inverse(X)

    def _inverse(self, X, out, columns=None) -> np.ndarray:
        (offset,) = self._params_as(X, self.offset_, columns=columns)
        np.exp(X, out=out)
        np.subtract(out, offset, out=out)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = not isinstance(self.offset, str)
        return tags
