"""The bad-input contract: every public estimator against every bad input.

Each row of ``CONTRACT`` names a bad input and its expected outcome: a defined
output (``Works``), or an error of a named type whose message names the column
and the problem (``Raises``). docs/bad_input.md shows the same table to users.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
from _public import public_estimator_classes
from sklearn.base import ClassifierMixin, RegressorMixin, clone

from skscale import BinaryThresholder, Clipper, LogTransformer

pl = pytest.importorskip("polars")

INT64 = np.iinfo(np.int64)


@dataclass
class Works:
    """A defined output: same shape, finite where the input was (NaN kept)."""

    nan_columns: tuple = ()


@dataclass
class Raises:
    error: type
    match: str
    at: str = "fit"


@dataclass
class Case:
    name: str
    make: callable
    transformer: object
    network: object
    # estimator name -> outcome, where an estimator departs from its family
    exceptions: dict = field(default_factory=dict)
    transform_input: callable = None


def frame(**columns):
    return pd.DataFrame(columns)


GOOD = frame(a=[1.0, 2.0, 3.0, 4.0], b=[0.5, 0.1, 0.7, 0.2])
NOT_NUMERIC = Raises(ValueError, "column 's' .*is not numeric")
NEGATIVE = Raises(ValueError, "Negative values in data.*'a'")

CONTRACT = [
    Case(
        "NaN-only column",
        lambda: frame(a=[np.nan] * 4, b=GOOD.b),
        Works(nan_columns=(0,)),
        Raises(ValueError, "NaN in column\\(s\\) 'a'"),
    ),
    Case(
        "+inf",
        lambda: frame(a=[1.0, np.inf, 2.0, 3.0], b=GOOD.b),
        Raises(ValueError, "infinity in column\\(s\\) 'a'"),
        Raises(ValueError, "infinity in column\\(s\\) 'a'"),
    ),
    Case(
        "-inf",
        lambda: frame(a=[1.0, -np.inf, 2.0, 3.0], b=GOOD.b),
        Raises(ValueError, "infinity in column\\(s\\) 'a'"),
        Raises(ValueError, "infinity in column\\(s\\) 'a'"),
    ),
    Case(
        "empty array",
        lambda: np.empty((0, 2)),
        Raises(ValueError, "0 sample\\(s\\)"),
        Raises(ValueError, "0 sample\\(s\\)"),
    ),
    Case("one row", lambda: GOOD.iloc[:1], Works(), Works()),
    Case("one column", lambda: GOOD[["a"]], Works(), Works()),
    Case("constant column", lambda: GOOD.assign(a=5.0), Works(), Works()),
    Case(
        "values near the float limits",
        lambda: frame(a=[1.7e308, -1.7e308, 1.7e308, -1.7e308], b=GOOD.b),
        Works(),
        Raises(FloatingPointError, "learning_rate_init.*clip_norm"),
        exceptions={
            "LogTransformer": NEGATIVE,
            "ZScoreScaler": Raises(
                ValueError, "variance of column\\(s\\) 'a' overflows"
            ),
        },
    ),
    Case(
        "subnormals",
        lambda: frame(a=[5e-324, 1e-320, 0.0, 2e-310], b=GOOD.b),
        Works(),
        Works(),
    ),
    Case(
        "integer extremes",
        lambda: frame(a=np.array([INT64.max, INT64.min, 0, 1]), b=[1, 2, 3, 4]),
        Works(),
        Works(),
        exceptions={"LogTransformer": NEGATIVE},
    ),
    Case(
        "bool", lambda: frame(a=[True, False, True, True], b=GOOD.b), Works(), Works()
    ),
    Case(
        "object column of numbers",
        lambda: frame(a=np.array([1, 2.5, 3, 4], dtype=object), b=GOOD.b),
        Works(),
        Works(),
    ),
    Case(
        "object column of strings",
        lambda: frame(a=GOOD.a, s=np.array(["x", "y", "z", "w"], dtype=object)),
        NOT_NUMERIC,
        NOT_NUMERIC,
    ),
    Case(
        "pandas string dtype",
        lambda: frame(a=GOOD.a, s=pd.array(["x", "y", "z", "w"], dtype="string")),
        NOT_NUMERIC,
        NOT_NUMERIC,
    ),
    Case(
        "pandas Int64 with NA",
        lambda: frame(a=pd.array([1, None, 3, 4], dtype="Int64"), b=GOOD.b),
        Works(nan_columns=(0,)),
        Raises(ValueError, "NaN in column\\(s\\) 'a'"),
    ),
    Case(
        "pandas Float64 with NA",
        lambda: frame(a=pd.array([1.0, pd.NA, 3.0, 4.0], dtype="Float64"), b=GOOD.b),
        Works(nan_columns=(0,)),
        Raises(ValueError, "NaN in column\\(s\\) 'a'"),
    ),
    Case(
        "pandas categorical of strings",
        lambda: frame(a=GOOD.a, s=pd.Categorical(["x", "y", "x", "y"])),
        NOT_NUMERIC,
        NOT_NUMERIC,
    ),
    Case(
        "pandas categorical of numbers",
        lambda: frame(a=pd.Categorical([1.0, 2.0, 1.0, 2.0]), b=GOOD.b),
        Works(),
        Works(),
    ),
    Case(
        "polars nulls",
        lambda: pl.DataFrame({"a": [1.0, None, 3.0, 4.0], "b": [1, 2, None, 4]}),
        Works(nan_columns=(0, 1)),
        Raises(ValueError, "NaN in column\\(s\\) 'a', 'b'"),
    ),
    Case(
        "polars string column",
        lambda: pl.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "s": ["x", "y", "z", "w"]}),
        NOT_NUMERIC,
        NOT_NUMERIC,
    ),
    Case(
        "column names differ at transform",
        lambda: GOOD,
        Raises(ValueError, "feature names should match", at="transform"),
        Raises(ValueError, "feature names should match", at="transform"),
        transform_input=lambda: GOOD.rename(columns={"b": "c"}),
    ),
    Case(
        "column count differs at transform",
        lambda: GOOD,
        Raises(ValueError, "X has 3 features, but .* is expecting 2", at="transform"),
        Raises(ValueError, "X has 3 features, but .* is expecting 2", at="transform"),
        transform_input=lambda: GOOD.assign(c=1.0).to_numpy(),
    ),
    Case(
        "3-D input",
        lambda: np.ones((4, 2, 2)),
        Raises(ValueError, "dim 3"),
        Raises(ValueError, "dim 3"),
    ),
    Case("list of lists", lambda: GOOD.to_numpy().tolist(), Works(), Works()),
]


def instances():
    extra = [LogTransformer("auto"), Clipper(quantile_range=(1, 99))]
    extra += [BinaryThresholder("median")]
    base = [cls() for cls in public_estimator_classes()]
    for estimator in base:
        if "max_iter" in estimator.get_params():
            estimator.set_params(max_iter=3, random_state=0)
    return base + extra


def is_network(estimator):
    return isinstance(estimator, ClassifierMixin | RegressorMixin)


def label(estimator):
    params = estimator.get_params(deep=False)
    if "offset" in params and params["offset"] == "auto":
        return "LogTransformer(auto)"
    return type(estimator).__name__


def expected_outcome(case, estimator):
    exception = case.exceptions.get(label(estimator))
    if exception is not None:
        return exception
    return case.network if is_network(estimator) else case.transformer


def run(estimator, X, X_apply):
    n_rows = len(X) if not hasattr(X, "shape") else X.shape[0]
    if is_network(estimator):
        y = np.arange(n_rows) % 2
        estimator.fit(X, y)
        return estimator.predict(X_apply)
    estimator.fit(X)
    return estimator.transform(X_apply)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.filterwarnings("ignore:Dead ReLU units")
@pytest.mark.parametrize("case", CONTRACT, ids=lambda case: case.name)
@pytest.mark.parametrize("estimator", instances(), ids=label)
def test_bad_input_contract(estimator, case):
    outcome = expected_outcome(case, estimator)
    X = case.make()
    X_apply = case.transform_input() if case.transform_input else X
    if isinstance(outcome, Raises):
        if outcome.at == "transform":
            run(estimator, X, X)
        with pytest.raises(outcome.error, match=outcome.match):
            run(estimator, X, X_apply)
        return
    result = np.asarray(run(estimator, X, X_apply), dtype=np.float64)
    n_rows = len(X) if not hasattr(X, "shape") else X.shape[0]
    assert result.shape[0] == n_rows
    if is_network(estimator):
        assert np.isfinite(result).all()
        return
    if hasattr(estimator, "n_bins_"):  # one column per bin: sum each feature's
        starts = np.r_[0, np.cumsum(estimator.n_bins_)[:-1]]  # (NaN, inf kept)
        assert result.shape[1] == estimator.n_bins_.sum()
        result = np.add.reduceat(result, starts, axis=1)
    assert result.shape == (n_rows, np.asarray(X, dtype=object).shape[1])
    nan_columns = list(outcome.nan_columns)
    source = (
        np.asarray(pd.DataFrame(X).astype("float64"), dtype=np.float64)
        if not (hasattr(X, "to_numpy") and type(X).__module__.startswith("polars"))
        else X.to_numpy().astype(np.float64)
    )
    np.testing.assert_array_equal(np.isnan(result), np.isnan(source))
    finite_part = np.delete(result, nan_columns, axis=1)
    assert np.isfinite(finite_part).all(), f"{label(estimator)} made non-finite values"


def test_documentation_lists_every_row_of_the_contract():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "bad_input.md").read_text()
    rows = [
        line.split("|")[1].strip()
        for line in page.splitlines()
        if line.startswith("| ") and not line.startswith("| input")
    ]
    assert rows == [case.name for case in CONTRACT]


SCALE = 2.0**1000


@pytest.mark.parametrize(
    "estimator",
    [
        est
        for est in instances()
        if not is_network(est)
        and label(est) not in {"LogTransformer", "LogTransformer(auto)", "ZScoreScaler"}
    ],
    ids=label,
)
def test_near_float_limits_results_are_right_not_only_finite(estimator):
    """Scaling a column by a power of two commutes with every map but the log."""
    rng = np.random.default_rng(3)
    # Symmetric columns: AutoScaler scales them linearly (a log step would not
    # commute with the scaling).
    small = rng.uniform(-1.0, 1.0, size=(40, 2))
    small[:, 1] += 1.0
    huge = small * SCALE * 2.0**22  # about 1e308: sums and ranges overflow
    if label(estimator) == "AutoScaler":
        estimator = clone(estimator).set_params(scaler="linear")
    out_huge = estimator.fit(huge).transform(huge)
    out_small = estimator.fit(small).transform(small)
    if label(estimator) in {"Clipper"}:
        out_huge = out_huge / (SCALE * 2.0**22)
    np.testing.assert_allclose(out_huge, out_small, rtol=1e-9, atol=1e-12)


# The weight definitions (issue 10): a row of weight w counts as w / u copies,
# u the smallest positive weight; bad weights are refused as scikit-learn does.
WEIGHT_ERRORS = [
    ("negative", [-1.0, 1.0, 1.0, 1.0], "Negative values"),
    ("NaN", [np.nan, 1.0, 1.0, 1.0], "NaN"),
    ("inf", [np.inf, 1.0, 1.0, 1.0], "infinity"),
    ("all zero", [0.0, 0.0, 0.0, 0.0], "non-zero"),
    ("sum beyond float64", [1e308] * 4, "proportions"),
]


def weighted_transformers():
    import inspect

    return [
        estimator
        for estimator in instances()
        if not is_network(estimator)
        and "sample_weight" in inspect.signature(estimator.fit).parameters
    ]


@pytest.mark.parametrize("name, weight, match", WEIGHT_ERRORS, ids=lambda v: v)
@pytest.mark.parametrize("estimator", weighted_transformers(), ids=label)
def test_bad_sample_weight_is_refused(estimator, name, weight, match):
    with pytest.raises(ValueError, match=match):
        clone(estimator).fit(GOOD, sample_weight=np.asarray(weight))


@pytest.mark.parametrize("total", [1.0, 3.0, 1e300])
@pytest.mark.parametrize("estimator", weighted_transformers(), ids=label)
def test_equal_sample_weights_of_any_size_are_no_weights(estimator, total):
    weight = np.full(len(GOOD), total / len(GOOD))
    weighted = clone(estimator).fit(GOOD, sample_weight=weight)
    plain = clone(estimator).fit(GOOD)
    learned = {
        key: value
        for key, value in vars(plain).items()
        if key.endswith("_") and key != "n_samples_seen_"
    }
    for key, value in learned.items():
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            np.testing.assert_allclose(
                getattr(weighted, key), value, rtol=1e-12, err_msg=key
            )
