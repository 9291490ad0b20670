"""``skscale demo --test-csv``: a separate test file, prepared like the training data.

The test rows never touch fitting, early stopping or the choice of the best
configuration: the demo reads them after its data is split, and evaluates
each configuration on them once, after it is trained.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from skscale._cli.data import (
    COURSE_COLUMNS,
    COURSE_TARGET,
    Dataset,
    numeric_columns,
    read_csv,
    require_finite,
)
from skscale._cli.errors import UserError


@dataclass
class TestSet:
    """Features and target of a test file, in the training data's columns."""

    X: pd.DataFrame
    y: np.ndarray
    name: str
    note: str = ""

    __test__ = False  # not a pytest class


def read_test_set(path, target: str, dataset: Dataset) -> TestSet:
    """The test file's rows as the demo's features and target.

    The columns must include the training features (extra ones are ignored);
    rows with missing values are dropped, as in the training file. A value
    that is not a finite number (text, ``inf``) in those columns is a
    UserError, raised before any training. For the course's data the test
    file gets the same ``rooms_per_person`` feature and the target in
    thousands.
    """
    frame = read_csv(path)
    if target not in frame.columns:
        raise UserError(f"target column {target!r} is not in the test file {path}")
    features = list(dataset.X_train.columns)
    derived = {"rooms_per_person"} if dataset.is_course else set()
    missing = [c for c in features if c not in frame.columns and c not in derived]
    if missing:
        listed = ", ".join(map(repr, missing[:10]))
        raise UserError(f"the test file {path} lacks the feature column(s) {listed}")
    n_rows = len(frame)
    used = [c for c in features if c not in derived] + [target]
    frame = require_finite(numeric_columns(frame[used], path), path).dropna()
    if dataset.is_course:
        X, y = _course_features(frame)
    else:
        X = frame[features].astype(np.float64)
        y = frame[target].to_numpy(dtype=np.float64)
    if len(X) == 0:
        raise UserError(f"the test file {path} has no complete rows")
    dropped = n_rows - len(X)
    note = f"dropped {dropped} rows with missing values" if dropped else ""
    return TestSet(X.reset_index(drop=True), y, Path(path).name, note)


def _course_features(frame: pd.DataFrame):
    """The course's features (``rooms_per_person`` added) and target / 1000."""
    features = frame[list(COURSE_COLUMNS[:-1])].copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rooms_per_person = features["total_rooms"] / features["population"]
    features["rooms_per_person"] = rooms_per_person.replace([np.inf, -np.inf], np.nan)
    keep = features["rooms_per_person"].notna().to_numpy()
    target = frame[COURSE_TARGET].to_numpy(dtype=np.float64)[keep] / 1000.0
    return features[keep], target
