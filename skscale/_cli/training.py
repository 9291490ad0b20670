"""``skscale demo``: normalization strategies crossed with optimizers.

The course's experiment: the same network trained on features normalized in
several ways, with each of the lesson's optimizers, compared by train and
validation RMSE. Every normalizer is fitted on the training rows only.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from skscale._cli.data import Dataset, resplit

SOLVERS = ("sgd", "adagrad", "adam", "ftrl")

# Per-solver learning rates for the half mean squared error the network
# minimizes (the course's TensorFlow estimators summed the loss over a batch,
# so their rates do not carry over). sgd is plain gradient descent, as in the
# course (momentum=0).
LEARNING_RATES = {"sgd": 0.01, "adagrad": 0.5, "adam": 0.01, "ftrl": 0.5}
# With a z-scored target (every dataset but the course's): Adagrad's and
# FTRL's first steps are about the rate whatever the gradient's size, and 0.5
# (sized for the course's target in the hundreds) killed ReLU units on the
# diabetes data; 0.05 gave the normalized rows 54-57 against 59-77.
SCALED_TARGET_LEARNING_RATES = {**LEARNING_RATES, "adagrad": 0.05, "ftrl": 0.05}

# FTRL-Proximal without L1 or L2 takes exactly Adagrad's steps; an L1 makes it
# FTRL (weights whose accumulated gradient stays below it are exactly zero).
SOLVER_OPTIONS = {"ftrl": {"ftrl_l1": 0.01}}

# The course's published figures (MLCC, learners' runs of the official cells):
# validation RMSE in thousands of dollars, min / median / max over runs.
COURSE_REFERENCE_RMSE = {
    ("none", "sgd"): ("unnormalized baseline", 99.7, 103.2, 110.0),
    ("linear", "sgd"): ("Task 1, linear scale + GD", 69.9, 71.5, 74.5),
    ("linear", "adagrad"): ("Task 2, Adagrad", 66.2, 68.7, 73.8),
    ("linear", "adam"): ("Task 2, Adam", 69.2, 70.2, 71.4),
    ("task3", "adagrad"): ("Task 3, alternate normalization", 68.0, 69.4, 71.5),
}


@dataclass
class Config:
    """One training run: a normalization strategy, a solver and a network."""

    strategy: str
    solver: str
    hidden_layer_sizes: tuple = (10, 10)
    learning_rate: float = 0.01
    epochs: int = 30
    batch_size: int = 50
    dropout: float = 0.0
    early_stopping: bool = False
    schedule: str = "constant"  # the network's learning_rate
    float32: bool = False  # train (and encode) in float32
    n_members: int = 1  # an ensemble trained together
    weight_decay: float = 0.0

    @property
    def network(self) -> str:
        return (
            "x".join(map(str, self.hidden_layer_sizes))
            + (f" x{self.n_members} members" if self.n_members > 1 else "")
            + (f" {self.schedule}" if self.schedule != "constant" else "")
            + (f" decay {self.weight_decay:g}" if self.weight_decay else "")
            + (" float32" if self.float32 else "")
        )

    @property
    def cost(self) -> float:
        """A rough measure of the training time, to start the longest first."""
        sizes = self.hidden_layer_sizes
        products = sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) + sum(sizes)
        return self.epochs * self.n_members * products


@dataclass
class Result:
    config: Config
    train_rmse: float
    valid_rmse: float
    seconds: float
    loss_curve: list = field(default_factory=list)
    valid_curve: list = field(default_factory=list)
    note: str = ""
    valid_std: float = 0.0
    n_splits: int = 1
    test_rmse: float = math.nan
    test_note: str = ""  # why the test RMSE is missing (training unaffected)


class TargetScale:
    """The target's z-score for training, fitted on the training rows.

    What ``TransformedTargetRegressor(transformer=StandardScaler())`` does,
    with skscale's own ``ZScoreScaler`` (``ddof=0``, StandardScaler's map),
    kept outside the network so that it can still train one epoch per
    ``partial_fit`` call: the network fits ``(y - mean) / scale``, and its
    predictions are mapped back, so every RMSE is in the target's units. A
    constant target keeps scale 1. Without a fitted scaler (the default) it
    is the identity: no scaling.
    """

    def __init__(self, scaler=None):
        self.scaler = scaler

    @classmethod
    def fit(cls, y) -> TargetScale:
        from skscale import ZScoreScaler

        return cls(ZScoreScaler().fit(_column(y)))

    def forward(self, y) -> np.ndarray:
        if self.scaler is None:
            return np.asarray(y, dtype=np.float64)
        return self.scaler.transform(_column(y)).ravel()

    def inverse(self, predicted) -> np.ndarray:
        if self.scaler is None:
            return np.asarray(predicted, dtype=np.float64)
        return self.scaler.inverse_transform(_column(predicted)).ravel()


def _column(values) -> np.ndarray:
    """A target or predictions as one float64 column."""
    return np.asarray(values, dtype=np.float64).reshape(-1, 1)


def course_task3():
    """The course's Task 3 mapping as a ColumnTransformer of skscale's pieces."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline

    from skscale import Clipper, LinearScaler, LogTransformer

    return ColumnTransformer(
        [
            (
                "log",
                LogTransformer(),
                ["households", "median_income", "total_bedrooms"],
            ),
            ("linear", LinearScaler(), ["latitude", "longitude", "housing_median_age"]),
            (
                "clip",
                make_pipeline(
                    Clipper(lower=0.0, upper=[5000.0, 5.0, 10000.0]), LinearScaler()
                ),
                ["population", "rooms_per_person", "total_rooms"],
            ),
        ],
        verbose_feature_names_out=False,
    )


# Random Fourier features of the location (Rahimi and Recht's RBFSampler, on
# z-scored latitude and longitude) beside PLE: a kernel over places that a
# per-column encoding cannot express. On the course's split, seed 0, 128x128:
# validation RMSE 48.9 with PLE alone; 45.9, 45.6, 45.9, 45.7 with gamma 72,
# 128, 256, 512; per-column periodic embeddings (Gorishniy et al. 2022's
# sin/cos of random frequencies, 8 per column) gave 49.0 and 49.9.
LOCATION_GAMMA, LOCATION_COMPONENTS = 128.0, 128
BEST_MEMBERS, BEST_EPOCHS = 2, 100


def course_location_encoder():
    """PLE(32) of every column and random Fourier features of the location."""
    from sklearn.compose import ColumnTransformer
    from sklearn.kernel_approximation import RBFSampler
    from sklearn.pipeline import make_pipeline

    from skscale import PiecewiseLinearEncoder, ZScoreScaler

    location = make_pipeline(
        ZScoreScaler(),
        RBFSampler(
            gamma=LOCATION_GAMMA, n_components=LOCATION_COMPONENTS, random_state=0
        ),
    )
    return ColumnTransformer(
        [
            ("ple", PiecewiseLinearEncoder(32), slice(None)),
            ("location", location, ["latitude", "longitude"]),
        ]
    )


def normalizers(dataset: Dataset) -> dict:
    """Strategy name -> an unfitted transformer (None: the raw features)."""
    from skscale import (
        AutoScaler,
        LinearScaler,
        PiecewiseLinearEncoder,
        QuantileNormalizer,
        ZScoreScaler,
    )

    strategies = {
        "none": None,
        "linear": LinearScaler(),
        "zscore": ZScoreScaler(),
        "auto": AutoScaler(),
    }
    if dataset.is_course:
        strategies["task3"] = course_task3()
    # the quantile encoders (issue 13): to a normal, and 32 PLE bins per column
    strategies["quantile"] = QuantileNormalizer()
    strategies["ple"] = PiecewiseLinearEncoder(32)
    if dataset.is_course:
        strategies["ple+rff"] = course_location_encoder()
    return strategies


def configurations(dataset: Dataset, *, quick: bool) -> list[Config]:
    """Every strategy with every solver, plus one bigger network unless quick."""
    n_train = len(dataset.X_train)
    # 30 epochs of the course's 12,000 rows; small data gets more epochs, up
    # to 100 (beyond that the diabetes data only overfits)
    epochs = int(np.clip(360_000 / max(n_train, 1), 30, 100))
    if quick:
        # half the epochs: on the diabetes data, 50 epochs still show the
        # lesson (an eighth stopped sgd before the normalized runs converged
        # and showed the opposite); rows still improving are marked anyway
        epochs = max(5, epochs // 2)
    configs = [
        Config(strategy, solver, learning_rate=_rates(dataset)[solver], epochs=epochs)
        for strategy in normalizers(dataset)
        if strategy != "ple+rff"  # the best row's encoder, below
        for solver in SOLVERS
    ]
    if not quick and n_train >= 200:  # early stopping holds out 10% of the rows
        configs.append(
            Config(
                "auto",
                "adam",
                hidden_layer_sizes=(64, 64),
                learning_rate=0.003,
                epochs=5 * epochs,
                dropout=0.1,
                early_stopping=True,
            )
        )
        # examples/plot_california_encoders.py's best pipeline: PLE, a wider
        # network, 150 epochs annealed by a cosine schedule, in float32
        configs.append(
            Config(
                "ple",
                "adam",
                hidden_layer_sizes=(128, 128),
                learning_rate=0.001,
                epochs=150,
                batch_size=200,
                dropout=0.1,
                schedule="cosine",
                float32=True,
            )
        )
    if not quick and dataset.is_course:
        # issue 20's best: the same network on PLE and the location's random
        # Fourier features, an ensemble of BEST_MEMBERS trained together
        configs.append(
            Config(
                "ple+rff",
                "adam",
                hidden_layer_sizes=(128, 128),
                learning_rate=0.001,
                epochs=BEST_EPOCHS,
                batch_size=200,
                dropout=0.1,
                schedule="cosine",
                float32=True,
                n_members=BEST_MEMBERS,
            )
        )
    return configs


def _rates(dataset: Dataset) -> dict:
    """Each solver's learning rate for the target the network will fit."""
    return SCALED_TARGET_LEARNING_RATES if dataset.scale_target else LEARNING_RATES


def _network(config: Config):
    from skscale.neural_network import DropoutMLPRegressor

    return DropoutMLPRegressor(
        hidden_layer_sizes=config.hidden_layer_sizes,
        solver=config.solver,
        learning_rate_init=config.learning_rate,
        learning_rate=config.schedule,
        batch_size=config.batch_size,
        max_iter=config.epochs,
        dropout=config.dropout,
        clip_norm=5.0,
        momentum=0.0,
        early_stopping=config.early_stopping,
        n_iter_no_change=20 if config.early_stopping else config.epochs,
        tol=0.0,
        random_state=0,
        n_members=config.n_members,
        weight_decay=config.weight_decay,
        **SOLVER_OPTIONS.get(config.solver, {}),
    )


def train_one(
    config: Config,
    transformer,
    X_train,
    y_train,
    X_valid,
    y_valid,
    *,
    per_epoch: bool = True,
    test=None,
    scale_target: bool = False,
):
    """Fit one configuration; a diverging run is reported, not raised.

    With ``scale_target`` the network trains on the z-scored target
    (:class:`TargetScale`, fitted on ``y_train``), whatever the features'
    normalization (the raw-features row included, so the comparison is
    fair); the RMSEs are in the target's units either way, the loss curves
    in the units the network trained on.

    With ``per_epoch`` (and no early stopping) the network trains one epoch
    per ``partial_fit`` call, so that the validation loss is measured after
    every epoch (the pictures draw it beside the training loss); this costs
    up to twice the time on small data, so the demo does it on the first
    split only, whose curves are drawn. Otherwise ``fit`` trains; with early
    stopping the validation curve is the one early stopping watched, on the
    10% of the training rows it holds out.

    ``test`` (a :class:`~skscale._cli.holdout.TestSet`) is transformed and
    predicted once, after training: its rows touch nothing else, and a test
    value the fitted normalizer cannot map (outside a logged column's domain)
    leaves this configuration's test RMSE NaN with a ``test_note``, its
    training and validation results unchanged.
    """
    from sklearn.base import clone

    model = _network(config)
    start = time.perf_counter()
    note = ""
    valid_curve = []
    caught = []
    X_test = None if test is None else test.X
    target = TargetScale.fit(y_train) if scale_target else TargetScale()
    y_fit = target.forward(y_train)
    if config.float32:
        X_train, X_valid = X_train.astype(np.float32), X_valid.astype(np.float32)
        X_test = None if X_test is None else X_test.astype(np.float32)
    try:
        if transformer is not None:
            transformer = clone(transformer).fit(X_train)
            X_train, X_valid = (
                transformer.transform(X_train),
                transformer.transform(X_valid),
            )
        X_train, X_valid = np.asarray(X_train), np.asarray(X_valid)
        if config.early_stopping or not per_epoch:
            caught = _watch(model.fit, X_train, y_fit)
            valid_curve = list(model.validation_loss_curve_ or [])
        else:
            y_valid_fit = target.forward(y_valid)
            for _ in range(config.epochs):
                # the warnings of the last epoch are those fit would give
                caught = _watch(model.partial_fit, X_train, y_fit)
                valid_curve.append(_half_mse(model.predict(X_valid), y_valid_fit))
    except FloatingPointError:
        note = "diverged: the loss became infinite"
    except ValueError as exc:  # e.g. validation values outside a log's domain
        note = "failed: " + str(exc).splitlines()[0]
        model = None
    health = [w for w in caught if type(w.message).__name__ == "TrainingHealthWarning"]
    if health and not note:
        note = str(health[0].message).split(":")[0].split(".")[0]
    seconds = time.perf_counter() - start
    if model is None or not hasattr(model, "coefs_"):
        return Result(config, math.nan, math.nan, seconds, note=note)

    def predict(X):
        return target.inverse(model.predict(X))

    test_rmse, test_note = _test_rmse(predict, transformer, X_test, test)
    return Result(
        config,
        _rmse(predict(X_train), y_train),
        _rmse(predict(X_valid), y_valid),
        seconds,
        loss_curve=list(model.loss_curve_),
        valid_curve=valid_curve,
        note=note,
        test_rmse=test_rmse,
        test_note=test_note,
    )


def _test_rmse(predict, transformer, X_test, test) -> tuple[float, str]:
    """The RMSE of ``predict`` (the trained model's) on the test rows, or NaN
    and why not."""
    if X_test is None:
        return math.nan, ""
    if transformer is not None:
        try:
            X_test = transformer.transform(X_test)
        except ValueError as exc:  # e.g. a test value outside a log's domain
            return math.nan, str(exc).splitlines()[0]
    return _rmse(predict(np.asarray(X_test)), test.y), ""


def _watch(train, X, y) -> list:
    """Call ``train(X, y)``; its warnings, recorded; Ctrl-C re-raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        train(X, y)
    if any(_is_interrupt(w) for w in caught):
        # the network catches Ctrl-C to keep the weights it has (as
        # scikit-learn's MLP does) and only warns; the command must stop
        raise KeyboardInterrupt
    return caught


def _half_mse(predicted, actual) -> float:
    """The network's training loss, on other rows."""
    with np.errstate(over="ignore", invalid="ignore"):
        return float(0.5 * np.mean((np.asarray(predicted) - actual) ** 2))


def _is_interrupt(caught: warnings.WarningMessage) -> bool:
    """Whether a warning is the network's note that Ctrl-C stopped its training."""
    return "interrupted" in str(caught.message).lower()


def _rmse(predicted, actual) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(np.mean((np.asarray(predicted) - actual) ** 2)))


def n_repeats(dataset: Dataset, *, quick: bool) -> int:
    """Shuffled splits per configuration: one for the course's data and large
    data, several for small data, whose single validation split is too noisy
    to compare normalizations by."""
    if dataset.is_course or dataset.X_all is None or len(dataset.X_all) > 5000:
        return 1
    return 2 if quick else 5


def run_demo(
    dataset: Dataset,
    configs: list[Config],
    n_splits: int,
    progress,
    test=None,
    n_jobs: int | None = None,
):
    """Train every configuration on ``n_splits`` splits; the results in order.

    ``progress`` (a :class:`~skscale._cli.progress.Progress`) counts the runs.
    The runs are independent: they train in ``n_jobs`` processes (default: one
    per core), the longest first so that none is left to run alone at the end.
    """
    strategies = normalizers(dataset)
    splits = [resplit(dataset, r) for r in range(n_splits)]
    runs = [(c, s) for c in range(len(configs)) for s in range(n_splits)]
    runs.sort(key=lambda run: -configs[run[0]].cost)

    def task(c, s):
        split = splits[s]
        return train_one(
            configs[c],
            strategies[configs[c].strategy],
            split.X_train,
            split.y_train,
            split.X_valid,
            split.y_valid,
            per_epoch=s == 0,  # the curves drawn are the first's
            test=test,
            scale_target=dataset.scale_target,
        )

    n_jobs = min(len(runs), n_jobs or os.cpu_count() or 1)
    results = {}
    if n_jobs == 1:
        for c, s in runs:
            progress.describe(f"{configs[c].strategy} + {configs[c].solver}")
            results[c, s] = task(c, s)
            progress.step()
    else:
        from sklearn.utils.parallel import Parallel, delayed

        progress.describe(f"{n_jobs} processes")
        done = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
            delayed(_numbered(task))(c, s) for c, s in runs
        )
        for (c, s), result in done:
            results[c, s] = result
            progress.step()
    return [
        _combine([results[c, s] for s in range(n_splits)]) for c in range(len(configs))
    ]


def _numbered(task):
    def numbered(c, s):
        return (c, s), task(c, s)

    return numbered


def _combine(runs: list[Result]) -> Result:
    """Mean RMSEs over splits, total time, the first split's loss curve."""
    if len(runs) == 1:
        return runs[0]
    valid = np.array([r.valid_rmse for r in runs])
    return Result(
        runs[0].config,
        float(np.mean([r.train_rmse for r in runs])),
        float(np.mean(valid)),
        float(sum(r.seconds for r in runs)),
        loss_curve=runs[0].loss_curve,
        valid_curve=runs[0].valid_curve,
        note=next((r.note for r in runs if r.note), ""),
        valid_std=float(np.std(valid)),
        n_splits=len(runs),
        test_rmse=float(np.mean([r.test_rmse for r in runs])),
        test_note=next((r.test_note for r in runs if r.test_note), ""),
    )
