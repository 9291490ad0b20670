"""Data for the ``skscale`` command: reading a user's CSV, the course's split.

Every mistake a user can make with a file raises :class:`UserError`, whose
message is one line; the command prints it and exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from skscale._cli.csv_rows import check_rows
from skscale._cli.errors import UserError

SEED = 42

# The course's California housing columns and its Task 3 split.
COURSE_COLUMNS = (
    "longitude",
    "latitude",
    "housing_median_age",
    "total_rooms",
    "total_bedrooms",
    "population",
    "households",
    "median_income",
    "median_house_value",
)
COURSE_TARGET = "median_house_value"
COURSE_N_TRAIN, COURSE_N_VALID = 12_000, 5_000

# A column is text when more than this share of its present values are not
# numbers: a few codes that parse as numbers (0E0) leave it text, and a few
# typos in a column of numbers leave it numeric (an error names them).
TEXT_SHARE = 0.5


@dataclass
class Dataset:
    """A train/validation split with a description of where it came from."""

    name: str
    X_train: pd.DataFrame
    y_train: np.ndarray
    X_valid: pd.DataFrame
    y_valid: np.ndarray
    target: str
    is_course: bool = False
    note: str = ""
    X_all: pd.DataFrame | None = None
    y_all: np.ndarray | None = None
    # train on the z-scored target (TargetScale in training.py); RMSEs stay
    # in the target's units
    scale_target: bool = True


def require_finite(frame: pd.DataFrame, path) -> pd.DataFrame:
    """The numeric frame itself, or a UserError naming the first column, row
    and value that is infinite (missing values pass: callers drop them)."""
    values = frame.to_numpy(dtype=np.float64)
    infinite = np.isinf(values)
    if infinite.any():
        column = int(np.flatnonzero(infinite.any(axis=0))[0])
        row = int(np.flatnonzero(infinite[:, column])[0])
        raise UserError(
            f"column {frame.columns[column]!r} of {path} is not finite (row "
            f"{row + 1} holds {values[row, column]}); the demo needs finite numbers"
        )
    return frame


def read_csv(path) -> pd.DataFrame:
    """Read a CSV with a header and at least one data row, or raise a UserError.

    Every row must hold one value per name of the header (a trailing
    separator aside): see :func:`csv_options`.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, **csv_options(path))
    except pd.errors.EmptyDataError:
        raise UserError(f"{path} is empty: no header and no rows") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise UserError(f"cannot read {path} as CSV: {first_line}") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    if frame.shape[1] == 0:
        raise UserError(f"{path} has no columns")
    if frame.shape[0] == 0:
        raise UserError(f"{path} has a header but no data rows")
    return frame


def csv_options(path) -> dict:
    """``pd.read_csv`` options that read every value under its own name.

    Checks first that each row holds one value per name of the header
    (:func:`~skscale._cli.csv_rows.check_rows`), or raises a one-line
    UserError naming the first row that does not. ``index_col=False`` keeps
    pandas from taking a first column as the index (which shifts every value
    one name to the left), and ``usecols`` leaves out the empty field after a
    trailing separator.
    """
    path = Path(path)
    if not path.exists():
        raise UserError(f"no such file: {path}")
    if path.is_dir():
        raise UserError(f"{path} is a directory, not a CSV file")
    try:
        shape = check_rows(path)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    if shape is None:  # nothing but blank lines: pandas says the file is empty
        return {"index_col": False}
    return {"index_col": False, "usecols": range(shape.n_columns)}


def select_columns(columns, path, *, target=None, keep=None, drop=None) -> list:
    """The columns to profile: ``keep`` (default all) minus ``drop`` and ``target``.

    A name that is not a column is a UserError listing the file's columns.
    """
    columns = list(columns)
    named = [target] if target is not None else []
    asked = named + list(keep or []) + list(drop or [])
    unknown = [c for c in asked if c not in columns]
    if unknown:
        listed = ", ".join(map(str, columns[:20]))
        raise UserError(
            f"column(s) {', '.join(map(repr, unknown))} not in {path}; "
            f"its columns are: {listed}"
        )
    excluded = set(drop or []) | set(named)
    selected = [c for c in (keep or columns) if c not in excluded]
    if not selected:
        raise UserError(f"no columns of {path} left to use")
    return selected


def text_columns(frame: pd.DataFrame) -> list:
    """Columns that are mostly text: skipped by ``profile``.

    A column is text when more than half of its present values are not
    numbers (:data:`TEXT_SHARE`): a column of airport codes stays text though
    ``0E0`` and ``0E8`` read as numbers. A column whose values are mostly
    numbers is numeric, and its text values are mistakes that
    :func:`numeric_columns` reports by row.
    """
    text = []
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) and not (
            pd.api.types.is_bool_dtype(values)
        ):
            continue
        present = values[values.notna()]
        not_numbers = pd.to_numeric(present, errors="coerce").isna().sum()
        if len(present) and not_numbers > TEXT_SHARE * len(present):
            text.append(column)
    return text


def numeric_columns(frame: pd.DataFrame, path, first_row: int = 0) -> pd.DataFrame:
    """The frame with every column as numbers, or a UserError naming the first
    non-numeric column, row and value.

    A column pandas left as text because a value does not fit int64 (an
    integer such as 99999999999999999999999) is numeric: it is read as float64,
    as a float column would be. ``first_row`` is the file row of the frame's
    first row, for chunks.
    """
    converted = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) and not (
            pd.api.types.is_bool_dtype(values)
        ):
            continue
        as_numbers = pd.to_numeric(values, errors="coerce")
        offending = np.flatnonzero(as_numbers.isna().to_numpy() & values.notna())
        if offending.size == 0 and pd.api.types.is_object_dtype(values):
            converted[column] = as_numbers.astype(np.float64)
            continue
        if offending.size:
            row = int(offending[0])
            where = f"row {first_row + row + 1} holds {values.iloc[row]!r}"
        else:
            where = f"its values are {values.dtype}"
        raise UserError(
            f"column {column!r} of {path} is not numeric ({where}); encode it as "
            "numbers or drop it first"
        )
    return frame.assign(**converted) if converted else frame


def diabetes_dataset() -> Dataset:
    """scikit-learn's unscaled diabetes data, shuffled, last 20% validation."""
    from sklearn.datasets import load_diabetes

    bunch = load_diabetes(scaled=False, as_frame=True)
    frame = bunch.frame
    return _shuffled_split(
        frame.drop(columns="target"),
        frame["target"].to_numpy(dtype=np.float64),
        name="diabetes (scikit-learn, load_diabetes(scaled=False))",
        target="target",
    )


def csv_dataset(path, target: str, *, keep=None, drop=None) -> Dataset:
    """A user's CSV; the course's setup when it has the California columns.

    The features are ``keep`` (default: every column) minus ``drop`` and the
    target, as in ``profile``; only they and the target must be numbers.
    """
    frame = read_csv(path)
    if target not in frame.columns:
        listed = ", ".join(map(str, frame.columns[:20]))
        raise UserError(
            f"target column {target!r} is not in {path}; its columns are: {listed}"
        )
    features = select_columns(frame.columns, path, target=target, keep=keep, drop=drop)
    frame = require_finite(numeric_columns(frame[[*features, target]], path), path)
    n_rows = len(frame)
    frame = frame.dropna()
    dropped = n_rows - len(frame)
    note = f"dropped {dropped} rows with missing values" if dropped else ""
    if len(frame) < 10:
        raise UserError(
            f"{path} has {len(frame)} complete rows; the demo needs at least 10"
        )
    if target == COURSE_TARGET and set(COURSE_COLUMNS) <= set(frame.columns):
        return _course_dataset(frame, Path(path).name, note)
    return _shuffled_split(
        frame.drop(columns=target),
        frame[target].to_numpy(dtype=np.float64),
        name=Path(path).name,
        target=target,
        note=note,
    )


def _course_dataset(frame: pd.DataFrame, name: str, note: str) -> Dataset:
    """The course's exercise: rooms_per_person, target in thousands, 12,000/5,000.

    The target is not z-scored here: the course trains on thousands of
    dollars, and with the course's learning rates a z-scored target made its
    rows worse (unnormalized + sgd 110.1 to 115.1, Task 3 + Adagrad 61.9 to
    115.1: dead ReLU units), the normalized ones better by about one.
    """
    frame = frame.sample(frac=1.0, random_state=SEED).reset_index(drop=True)
    features = frame[list(COURSE_COLUMNS[:-1])].copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rooms_per_person = features["total_rooms"] / features["population"]
    features["rooms_per_person"] = rooms_per_person.replace([np.inf, -np.inf], np.nan)
    keep = features["rooms_per_person"].notna().to_numpy()
    features, target = features[keep], frame[COURSE_TARGET].to_numpy()[keep] / 1000.0
    n_rows = len(features)
    if n_rows >= COURSE_N_TRAIN + COURSE_N_VALID:
        n_train = COURSE_N_TRAIN
        n_valid = COURSE_N_VALID
    else:
        n_valid = max(1, round(0.3 * n_rows))
        n_train = n_rows - n_valid
    return Dataset(
        name=f"{name} (the course's California housing setup)",
        X_train=features.iloc[:n_train],
        y_train=target[:n_train],
        X_valid=features.iloc[n_rows - n_valid :],
        y_valid=target[n_rows - n_valid :],
        target="median_house_value / 1000",
        is_course=True,
        note=note,
        scale_target=False,
    )


def _shuffled_split(
    X: pd.DataFrame,
    y: np.ndarray,
    *,
    name: str,
    target: str,
    note: str = "",
    seed: int = SEED,
) -> Dataset:
    """Shuffle with ``seed``, validate on the last 20%; keeps X and y to resplit."""
    order = np.random.default_rng(seed).permutation(len(X))
    n_train = len(X) - max(1, round(0.2 * len(X)))
    train, valid = order[:n_train], order[n_train:]
    X = X.astype(np.float64)
    return Dataset(
        name=name,
        X_train=X.iloc[train].reset_index(drop=True),
        y_train=y[train],
        X_valid=X.iloc[valid].reset_index(drop=True),
        y_valid=y[valid],
        target=target,
        note=note,
        X_all=X,
        y_all=y,
    )


def resplit(dataset: Dataset, repeat: int) -> Dataset:
    """The ``repeat``-th shuffled split of a dataset (0 is the dataset itself).

    The course's dataset keeps its one split: it is never resplit.
    """
    if repeat == 0 or dataset.X_all is None:
        return dataset
    return _shuffled_split(
        dataset.X_all,
        dataset.y_all,
        name=dataset.name,
        target=dataset.target,
        note=dataset.note,
        seed=SEED + repeat,
    )
