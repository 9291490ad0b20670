"""Per-column statistics behind AutoScaler's choices, all columns at once."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from skscale._stats import ColumnStats, column_percentiles

# Tukey's "far out" fences: quartiles -/+ 3 IQR. Normal data has about
# 2 values in a million beyond them, so a share of 1% means a real tail.
FENCE_IQR_MULTIPLIER = 3.0


@dataclass
class ColumnProfile:
    """Vectorized per-column summary: every field has shape ``(n_features,)``.

    ``skewness`` is the biased sample skewness ``m3 / m2**1.5`` (scipy's
    ``skew`` default), 0 for a constant column and NaN for an empty one.
    ``outlier_share`` is the share of non-NaN values beyond the quartiles
    -/+ 3 IQR. ``two_valued`` is True where a column holds at most two
    distinct non-NaN values.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [0.0, 2.0], [1.0, 3.0], [0.0, 100.0]])
    >>> profile = ColumnProfile.from_array(X)
    >>> profile.two_valued.tolist(), profile.skewness.round(2).tolist()
    ([True, False], [1.15, 1.15])
    """

    count: np.ndarray
    missing: np.ndarray
    min: np.ndarray
    max: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    skewness: np.ndarray
    outlier_share: np.ndarray
    two_valued: np.ndarray

    @classmethod
    def from_array(cls, X: np.ndarray) -> ColumnProfile:
        """Summarize a validated 2-D float array, ignoring NaN."""
        raw_stats = ColumnStats.from_array(X)
        # Skewness and the outlier share do not change when a column is scaled
        # by a power of two (exactly, bit for bit), but its third moment
        # overflows near the float limits: compute them on columns scaled so
        # that their largest magnitude is in [0.5, 1).
        magnitude = np.fmax(np.abs(raw_stats.min), np.abs(raw_stats.max))
        _, exponent = np.frexp(np.nan_to_num(magnitude))
        values = np.ldexp(X.astype(np.float64), -exponent)
        stats = ColumnStats.from_array(values)
        missing = X.shape[0] - stats.count
        with np.errstate(invalid="ignore", divide="ignore"):
            deviations = values - stats.mean
            m3 = np.nansum(deviations**3, axis=0)
            variance = stats.variance(ddof=0)
            skewness = np.where(
                variance > 0, m3 / np.fmax(stats.count, 1) / variance**1.5, 0.0
            )
            skewness = np.where(stats.count > 0, skewness, np.nan)
            q1, q3 = column_percentiles(values, [25.0, 75.0])
            spread = FENCE_IQR_MULTIPLIER * (q3 - q1)
            beyond = (values < q1 - spread) | (values > q3 + spread)
            outlier_share = np.where(
                stats.count > 0, beyond.sum(axis=0) / np.fmax(stats.count, 1), 0.0
            )
            two_valued = np.all(
                (values == stats.min) | (values == stats.max) | np.isnan(values),
                axis=0,
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            std = np.ldexp(np.sqrt(stats.variance(ddof=1)), exponent)
        std = np.where(stats.count > 1, std, np.nan)
        return cls(
            count=stats.count,
            missing=missing,
            min=raw_stats.min,
            max=raw_stats.max,
            mean=raw_stats.mean,
            std=std,
            skewness=skewness,
            outlier_share=outlier_share,
            two_valued=two_valued & (stats.count > 0),
        )
