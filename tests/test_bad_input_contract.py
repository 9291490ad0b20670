"""The bad-input contract: every public estimator against every bad input.

Each row of ``CONTRACT`` names a bad input and its expected outcome: a defined
output (``Works``), or an error of a named type whose message names the column
and the problem (``Raises``). docs/bad_input.md shows the same table to users.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
from _public import public_estimator_classes
from _state import differences, snapshot
from scipy import sparse
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
    # parameters set where an estimator has them (e.g. copy=False)
    params: dict = field(default_factory=dict)
    # the same data as plain floats: a Works outcome must equal its result
    dense: callable = None
    # fit on GOOD first: a Raises outcome must then leave the state unchanged
    after_good_fit: bool = False


def frame(**columns):
    return pd.DataFrame(columns)


GOOD = frame(a=[1.0, 2.0, 3.0, 4.0], b=[0.5, 0.1, 0.7, 0.2])
NOT_NUMERIC = Raises(ValueError, "column 's' .*is not numeric")
DATES = Raises(ValueError, "column 'd' .*is not numeric: it holds dates")
DATES_X0 = Raises(ValueError, "column 'x0' .*is not numeric: it holds dates")
REFUSES_SPARSE = Raises(TypeError, "[Ss]parse")


def read_only():
    X = GOOD.to_numpy().copy()
    X.flags.writeable = False
    return X


# Half zeros, so that learned bounds and thresholds keep 0 (sparse output).
SPARSE_GOOD = np.array([[0.0, 0.5], [0.0, 0.0], [3.0, 0.0], [4.0, 0.2]])


def duplicated_entries():
    """SPARSE_GOOD as CSR, each nonzero cell of column 'a' stored as two halves."""
    rows, cols = np.nonzero(SPARSE_GOOD)
    first = cols == 0
    rows, cols = np.r_[rows, rows[first]], np.r_[cols, cols[first]]
    data = SPARSE_GOOD[rows, cols] / np.where(cols == 0, 2.0, 1.0)
    order = np.lexsort((cols, rows))
    indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=4))]
    X = sparse.csr_matrix((data[order], cols[order], indptr), shape=(4, 2))
    assert not X.has_canonical_format
    return X


NEGATIVE = Raises(ValueError, "Negative values in data.*'a'")


# A right-skewed column 'a' (AutoScaler logs it) and a heavy-tailed symmetric
# 'b' (AutoScaler clips it: the composed map then turns -5 into a finite
# value or NaN, not -inf); at transform, one value of 'a' below -1, outside
# log(x + 1)'s domain.
SKEWED = frame(
    a=np.exp(np.random.default_rng(17).normal(0.0, 1.5, 200)),
    b=np.random.default_rng(18).standard_t(1, size=200),
)
OUT_OF_DOMAIN = SKEWED.assign(a=np.r_[-5.0, SKEWED.a.to_numpy()[1:]])
# Each a new copy: an estimator left with copy=False by an earlier row
# must not write into the shared frames.
LAYOUTS = {
    "C array": lambda df: np.array(df.to_numpy(), order="C"),
    "Fortran array": lambda df: np.array(df.to_numpy(), order="F"),
    "list": lambda df: df.to_numpy().tolist(),
    "DataFrame": lambda df: df.copy(),
    "copy=False": lambda df: np.array(df.to_numpy(), order="C"),
}


def read_only_copy(df):
    X = np.array(df.to_numpy(), order="C")
    X.flags.writeable = False
    return X


def logged_column_case(layout):
    """AutoScaler logs 'a' (x0): -5 there is refused in every memory layout,
    as LogTransformer refuses it; the other estimators map it. With
    copy=False the training data is read-only (the contract transforms it
    before the bad input, which must then be transformed in place)."""
    make = read_only_copy if layout == "copy=False" else LAYOUTS[layout]
    refused = "(log-transforms|Negative values in data).*column\\(s\\) '(a|x0)'"
    outcome = Raises(ValueError, refused, at="transform")
    return Case(
        f"value outside a logged column's domain, {layout}",
        lambda: make(SKEWED),
        Works(),
        Works(),
        exceptions={
            "AutoScaler": outcome,
            # offset 1 refuses the training data's own values below -1 in 'b'
            "LogTransformer": Raises(ValueError, "Negative values.*'(b|x1)'"),
            "LogTransformer(auto)": outcome,
        },
        transform_input=lambda: LAYOUTS[layout](OUT_OF_DOMAIN),
        params={"copy": False} if layout == "copy=False" else {},
    )


def with_empty_partition():
    """A Dask DataFrame filtered so that its first partition holds no rows."""
    dd = pytest.importorskip("dask.dataframe")
    whole = frame(a=np.arange(1.0, 9.0), b=np.linspace(0.1, 0.8, 8))
    X = dd.from_pandas(whole, npartitions=2)
    return X[X.a > 4]


def without_empty_partition():
    whole = frame(a=np.arange(1.0, 9.0), b=np.linspace(0.1, 0.8, 8))
    return whole[whole.a > 4].to_numpy()


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
    Case(
        "read-only input, copy=False",
        read_only,
        Works(),
        Works(),
        params={"copy": False},
        dense=lambda: GOOD.to_numpy(),
    ),
    Case(
        "pandas dates with NaT",
        lambda: frame(
            a=GOOD.a, d=pd.to_datetime(["2020-01-01", None, "2021-01-01", "2022-01-01"])
        ),
        DATES,
        DATES,
    ),
    Case(
        "pandas durations",
        lambda: frame(a=GOOD.a, d=pd.to_timedelta([1, 2, None, 4], unit="D")),
        DATES,
        DATES,
    ),
    Case(
        "numpy datetime64",
        lambda: np.arange(8).astype("datetime64[D]").reshape(4, 2),
        DATES_X0,
        DATES_X0,
    ),
    Case(
        "polars Datetime with nulls",
        lambda: pl.DataFrame(
            {"a": GOOD.a, "d": pl.Series([1, None, 3, 4]).cast(pl.Datetime)}
        ),
        DATES,
        DATES,
    ),
    Case(
        "object column with pd.NA",
        lambda: frame(a=np.array([1.0, pd.NA, 3.0, 4.0], dtype=object), b=GOOD.b),
        Works(nan_columns=(0,)),
        Raises(ValueError, "NaN in column\\(s\\) 'a'"),
        dense=lambda: GOOD.assign(a=[1.0, np.nan, 3.0, 4.0]).to_numpy(),
    ),
    Case(
        "pandas sparse columns",
        lambda: frame(
            a=pd.arrays.SparseArray([1.0, np.nan, 3.0, 4.0]),
            b=pd.arrays.SparseArray(GOOD.b),
        ),
        Works(nan_columns=(0,)),
        Raises(ValueError, "NaN in column\\(s\\) 'a'"),
        dense=lambda: GOOD.assign(a=[1.0, np.nan, 3.0, 4.0]).to_numpy(),
    ),
    Case(
        "pandas sparse string column",
        lambda: frame(
            a=pd.arrays.SparseArray(GOOD.a), s=pd.arrays.SparseArray(list("xyzw"))
        ),
        NOT_NUMERIC,
        NOT_NUMERIC,
    ),
    Case(
        "polars LazyFrame",
        lambda: pl.LazyFrame({"a": GOOD.a, "b": GOOD.b}),
        Raises(TypeError, "LazyFrame.*\\.collect\\(\\)"),
        Raises(TypeError, "LazyFrame.*\\.collect\\(\\)"),
    ),
    Case(
        "sparse matrix with duplicate entries",
        duplicated_entries,
        Works(),
        REFUSES_SPARSE,
        exceptions={
            "LinearScaler": REFUSES_SPARSE,
            "ZScoreScaler": REFUSES_SPARSE,
            "AutoScaler": REFUSES_SPARSE,
            "PiecewiseLinearEncoder": REFUSES_SPARSE,
            "QuantileNormalizer": REFUSES_SPARSE,
        },
        dense=lambda: SPARSE_GOOD,
    ),
    Case(
        "failed refit (state unchanged)",
        lambda: frame(a=[1.0, np.inf, 2.0, 3.0], b=GOOD.b, c=GOOD.a),
        Raises(ValueError, "infinity in column\\(s\\) 'a'"),
        Raises(ValueError, "infinity in column\\(s\\) 'a'"),
        after_good_fit=True,
    ),
    *(logged_column_case(layout) for layout in LAYOUTS),
    Case(
        "Dask DataFrame with an empty partition",
        with_empty_partition,
        Works(),
        Works(),
        dense=without_empty_partition,
    ),
]


def instances():
    extra = [LogTransformer("auto"), Clipper(quantile_range=(1, 99))]
    extra += [BinaryThresholder("median")]
    base = [cls() for cls in public_estimator_classes()]
    ensembles = []
    for estimator in base:
        if "max_iter" in estimator.get_params():
            estimator.set_params(max_iter=3, random_state=0)
            # every row holds for an ensemble with weight decay too (issue 20)
            ensembles.append(clone(estimator).set_params(n_members=2, weight_decay=0.1))
    return base + extra + ensembles


def is_network(estimator):
    return isinstance(estimator, ClassifierMixin | RegressorMixin)


def label(estimator):
    params = estimator.get_params(deep=False)
    if "offset" in params and params["offset"] == "auto":
        return "LogTransformer(auto)"
    if params.get("n_members", 1) > 1:
        return f"{type(estimator).__name__}(n_members=2)"
    return type(estimator).__name__


def expected_outcome(case, estimator):
    exception = case.exceptions.get(label(estimator))
    if exception is not None:
        return exception
    return case.network if is_network(estimator) else case.transformer


def rows_of(X):
    if hasattr(X, "compute"):  # a Dask collection's length is computed
        return len(X)
    if hasattr(X, "shape"):
        return X.shape[0]
    # a polars LazyFrame has no length: any target of GOOD's length will do
    return len(X) if hasattr(X, "__len__") else len(GOOD)


def run(estimator, X, X_apply):
    n_rows = rows_of(X)
    if is_network(estimator):
        y = np.arange(n_rows) % 2
        estimator.fit(X, y)
        return estimator.predict(X_apply)
    estimator.fit(X)
    return estimator.transform(X_apply)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.filterwarnings("ignore:Dead ReLU units")
# The "column count differs at transform" row hands a plain array to an
# estimator fitted on a DataFrame: scikit-learn warns that the names are
# missing before the count error the row expects.
@pytest.mark.filterwarnings("ignore:X does not have valid feature names:UserWarning")
@pytest.mark.parametrize("case", CONTRACT, ids=lambda case: case.name)
@pytest.mark.parametrize("estimator", instances(), ids=label)
def test_bad_input_contract(estimator, case):
    # A fresh copy: a row's params (copy=False) must not leak into the next.
    estimator = clone(estimator)
    outcome = expected_outcome(case, estimator)
    own = estimator.get_params()
    estimator.set_params(**{k: v for k, v in case.params.items() if k in own})
    X = case.make()
    X_apply = case.transform_input() if case.transform_input else X
    if isinstance(outcome, Raises):
        if outcome.at == "transform":
            run(estimator, X, X)
        if case.after_good_fit:
            run(estimator, GOOD, GOOD)
        before = snapshot(estimator)
        with pytest.raises(outcome.error, match=outcome.match):
            run(estimator, X, X_apply)
        if case.after_good_fit:
            assert differences(before, snapshot(estimator)) == []
        return
    with warnings.catch_warnings():
        # The networks read a Dask DataFrame through np.asarray, whose copy
        # keyword dask's __array__ lacks (a DeprecationWarning of dask's).
        warnings.filterwarnings(
            "ignore", "__array__ implementation", DeprecationWarning
        )
        result = run(estimator, X, X_apply)
    if hasattr(result, "compute"):  # a lazy transform of a Dask collection
        result = result.compute()
    result = np.asarray(
        result.toarray() if sparse.issparse(result) else result, dtype=np.float64
    )
    if case.dense is not None:
        expected = run(
            clone(estimator).set_params(**estimator.get_params()),
            case.dense(),
            case.dense(),
        )
        np.testing.assert_allclose(
            result, np.asarray(expected, dtype=np.float64), rtol=1e-12
        )
    n_rows = rows_of(X)
    assert result.shape[0] == n_rows
    if is_network(estimator):
        assert np.isfinite(result).all()
        return
    if hasattr(estimator, "n_bins_"):  # one column per bin: sum each feature's
        starts = np.r_[0, np.cumsum(estimator.n_bins_)[:-1]]  # (NaN, inf kept)
        assert result.shape[1] == estimator.n_bins_.sum()
        result = np.add.reduceat(result, starts, axis=1)
    nan_columns = list(outcome.nan_columns)
    if case.dense is not None:
        source = case.dense()
    elif hasattr(X, "to_numpy") and type(X).__module__.startswith("polars"):
        source = X.to_numpy().astype(np.float64)
    else:
        source = np.asarray(pd.DataFrame(X).astype("float64"), dtype=np.float64)
    assert result.shape == (n_rows, source.shape[1])
    np.testing.assert_array_equal(np.isnan(result), np.isnan(source))
    finite_part = np.delete(result, nan_columns, axis=1)
    assert np.isfinite(finite_part).all(), f"{label(estimator)} made non-finite values"


def test_documentation_lists_every_row_of_the_contract():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "bad_input.md").read_text()
    estimators = page.split(COMMAND_SECTION)[0]  # the command's table is its own
    assert table_rows(estimators) == [case.name for case in CONTRACT]


def table_rows(text):
    """The first cell of each row of the Markdown tables in ``text``."""
    return [
        line.split("|")[1].strip()
        for line in text.splitlines()
        if line.startswith("| ") and not line.startswith("| input")
    ]


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


# The ``skscale`` command's contract: bad files, one line on stderr and exit 2
# before any work, or a defined reading. docs/bad_input.md's last table.
COMMAND_SECTION = "\n## The `skscale` command"
TRAIN_CSV = "x,count,y\n" + "".join(
    f"{i % 7},{1.5 ** (i % 11):.3f},{i % 5}\n" for i in range(40)
)


@dataclass
class CommandCase:
    name: str
    files: dict  # file name -> its text
    argv: list  # "{name}" stands for the file's path
    exit_code: int
    expected: str  # in the one line on stderr (exit 2) or in stdout (exit 0)


COMMAND_CONTRACT = [
    CommandCase(
        "CSV rows ending in a separator",
        {"d.csv": "a,b,c\n1,10,100,\n2,20,200,\n3,30,300,\n"},
        ["profile", "{d.csv}"],
        0,
        "3 rows, 3 columns profiled",
    ),
    CommandCase(
        "CSV rows that do not match the header",
        {"d.csv": "569,30,malignant,benign\n" + "1.5," * 30 + "0\n"},
        ["profile", "{d.csv}"],
        2,
        "line 2 of {d.csv} has 31 fields but its header (line 1) names 4 columns",
    ),
    CommandCase(
        "mostly-text column",
        {"d.csv": "code,v\n" + "ABQ,1\nBOS,2\nCLE,3\n0E0,4\nDEN,5\n"},
        ["profile", "{d.csv}"],
        0,
        "skipped text column(s) 'code'",
    ),
    CommandCase(
        "demo test file with a value that is not a finite number",
        {"train.csv": TRAIN_CSV, "test.csv": "x,count,y\n1,inf,2\n2,3,4\n"},
        ["demo", "--csv", "{train.csv}", "--target", "y", "--test-csv", "{test.csv}"],
        2,
        "column 'count' of {test.csv} is not finite (row 1 holds inf)",
    ),
]


def fill(text, paths):
    for name, path in paths.items():
        text = text.replace("{" + name + "}", str(path))
    return text


@pytest.mark.parametrize("case", COMMAND_CONTRACT, ids=lambda case: case.name)
def test_command_contract(case, tmp_path, capsys):
    from skscale.cli import main

    paths = {name: tmp_path / name for name in case.files}
    for name, text in case.files.items():
        paths[name].write_text(text)
    code = main([fill(arg, paths) for arg in case.argv])
    captured = capsys.readouterr()
    assert code == case.exit_code, captured.err
    if code == 2:
        assert captured.out == ""
        (line,) = captured.err.strip().splitlines()
        assert fill(case.expected, paths) in line
    else:
        assert fill(case.expected, paths) in captured.out


def test_demo_test_value_a_normalizer_cannot_map_marks_its_test_cell(tmp_path):
    """The command contract's last row: exit 0, training unchanged (the demo
    itself runs in tests/test_cli_demo_data.py)."""
    pytest.importorskip("skscale.neural_network")
    from skscale import AutoScaler
    from skscale._cli import training
    from skscale._cli.data import csv_dataset
    from skscale._cli.holdout import read_test_set
    from skscale._cli.table import format_table

    (tmp_path / "train.csv").write_text(TRAIN_CSV)
    (tmp_path / "test.csv").write_text("x,count,y\n1,-3,2\n2,3,4\n")
    dataset = csv_dataset(tmp_path / "train.csv", "y")
    test = read_test_set(tmp_path / "test.csv", "y", dataset)
    split = (dataset.X_train, dataset.y_train, dataset.X_valid, dataset.y_valid)
    config = training.Config("auto", "adam", epochs=3)
    alone = training.train_one(config, AutoScaler(), *split)
    tested = training.train_one(config, AutoScaler(), *split, test=test)
    assert (tested.train_rmse, tested.valid_rmse) == (
        alone.train_rmse,
        alone.valid_rmse,
    )
    assert tested.test_note and np.isnan(tested.test_rmse)
    row = format_table([tested], course=False).splitlines()[2]
    assert row.split("|")[-2].strip() == "n/a ‡"


def test_documentation_lists_every_row_of_the_command_contract():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "bad_input.md").read_text()
    rows = table_rows(page.split(COMMAND_SECTION)[1])
    assert rows == [case.name for case in COMMAND_CONTRACT] + [
        "demo test file with a value a normalizer cannot map"
    ]
