"""``skscale demo``: normalization strategies crossed with optimizers.

The course's experiment: the same network trained on features normalized in
several ways, with each of the lesson's optimizers, compared by train and
validation RMSE. Every normalizer is fitted on the training rows only.
"""

from __future__ import annotations

import math
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

    @property
    def network(self) -> str:
        return "x".join(map(str, self.hidden_layer_sizes))


@dataclass
class Result:
    config: Config
    train_rmse: float
    valid_rmse: float
    seconds: float
    loss_curve: list = field(default_factory=list)
    note: str = ""
    valid_std: float = 0.0
    n_splits: int = 1


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


def normalizers(dataset: Dataset) -> dict:
    """Strategy name -> an unfitted transformer (None: the raw features)."""
    from skscale import AutoScaler, LinearScaler, ZScoreScaler

    strategies = {
        "none": None,
        "linear": LinearScaler(),
        "zscore": ZScoreScaler(),
        "auto": AutoScaler(),
    }
    if dataset.is_course:
        strategies["task3"] = course_task3()
    return strategies


def configurations(dataset: Dataset, *, quick: bool) -> list[Config]:
    """Every strategy with every solver, plus one bigger network unless quick."""
    n_train = len(dataset.X_train)
    # 30 epochs of the course's 12,000 rows; small data gets more epochs, up
    # to 100 (beyond that the diabetes data only overfits)
    epochs = int(np.clip(360_000 / max(n_train, 1), 30, 100))
    if quick:
        epochs = max(5, epochs // 8)
    configs = [
        Config(strategy, solver, learning_rate=LEARNING_RATES[solver], epochs=epochs)
        for strategy in normalizers(dataset)
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
    return configs


def train_one(config: Config, transformer, X_train, y_train, X_valid, y_valid):
    """Fit one configuration; a diverging run is reported, not raised."""
    from sklearn.base import clone

    from skscale.neural_network import DropoutMLPRegressor

    model = DropoutMLPRegressor(
        hidden_layer_sizes=config.hidden_layer_sizes,
        solver=config.solver,
        learning_rate_init=config.learning_rate,
        batch_size=config.batch_size,
        max_iter=config.epochs,
        dropout=config.dropout,
        clip_norm=5.0,
        momentum=0.0,
        early_stopping=config.early_stopping,
        n_iter_no_change=20 if config.early_stopping else config.epochs,
        tol=0.0,
        random_state=0,
    )
    start = time.perf_counter()
    note = ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if transformer is not None:
                transformer = clone(transformer).fit(X_train)
                X_train, X_valid = (
                    transformer.transform(X_train),
                    transformer.transform(X_valid),
                )
            model.fit(np.asarray(X_train), y_train)
        except FloatingPointError:
            note = "diverged: the loss became infinite"
        except ValueError as exc:  # e.g. validation values outside a log's domain
            note = "failed: " + str(exc).splitlines()[0]
            model = None
    if any(_is_interrupt(w) for w in caught):
        # the network catches Ctrl-C to keep the weights it has (as
        # scikit-learn's MLP does) and only warns; the command must stop
        raise KeyboardInterrupt
    health = [w for w in caught if type(w.message).__name__ == "TrainingHealthWarning"]
    if health and not note:
        note = str(health[0].message).split(":")[0].split(".")[0]
    seconds = time.perf_counter() - start
    if model is None or not hasattr(model, "coefs_"):
        return Result(config, math.nan, math.nan, seconds, note=note)
    return Result(
        config,
        _rmse(model.predict(np.asarray(X_train)), y_train),
        _rmse(model.predict(np.asarray(X_valid)), y_valid),
        seconds,
        loss_curve=list(model.loss_curve_),
        note=note,
    )


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


def run_demo(dataset: Dataset, configs: list[Config], n_splits: int, progress):
    """Train every configuration on ``n_splits`` splits; the results in order.

    ``progress`` (a :class:`~skscale._cli.progress.Progress`) counts the runs.
    """
    strategies = normalizers(dataset)
    splits = [resplit(dataset, r) for r in range(n_splits)]
    results = []
    for config in configs:
        runs = []
        progress.describe(f"{config.strategy} + {config.solver}")
        for split in splits:
            runs.append(
                train_one(
                    config,
                    strategies[config.strategy],
                    split.X_train,
                    split.y_train,
                    split.X_valid,
                    split.y_valid,
                )
            )
            progress.step()
        results.append(_combine(runs))
    return results


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
        note=next((r.note for r in runs if r.note), ""),
        valid_std=float(np.std(valid)),
        n_splits=len(runs),
    )


def format_table(results: list[Result], *, course: bool) -> str:
    """A plain-text table of the results, best validation RMSE marked."""
    n_splits = max((r.n_splits for r in results), default=1)
    valid_header = "valid RMSE" if n_splits == 1 else "valid RMSE (mean ± sd)"
    header = ["strategy", "solver", "network", "train RMSE", valid_header, "time (s)"]
    if course:
        header.append("course valid RMSE min/median/max")
    valid = np.array([r.valid_rmse for r in results], dtype=float)
    best = int(np.nanargmin(valid)) if np.isfinite(valid).any() else -1
    rows = []
    for i, result in enumerate(results):
        config = result.config
        row = [
            config.strategy,
            config.solver,
            config.network + (f" dropout {config.dropout:g}" if config.dropout else ""),
            _number(result.train_rmse),
            _number(result.valid_rmse)
            + (f" ± {result.valid_std:.1f}" if result.n_splits > 1 else "")
            + (" *" if i == best else ""),
            f"{result.seconds:.1f}",
        ]
        if course:
            reference = COURSE_REFERENCE_RMSE.get((config.strategy, config.solver))
            if reference and config.hidden_layer_sizes == (10, 10):
                label, low, median, high = reference
                row.append(f"{low} / {median} / {high} ({label})")
            else:
                row.append("")
        rows.append(row)
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += [
        "| " + " | ".join(str(x).ljust(w) for x, w in zip(row, widths)) + " |"
        for row in rows
    ]
    notes = [
        f"- {r.config.strategy} + {r.config.solver}: {r.note}"
        for r in results
        if r.note
    ]
    if best >= 0:
        lines.append("* lowest validation RMSE")
    if n_splits > 1:
        lines.append(
            f"RMSE: mean over {n_splits} shuffled train/validation splits; "
            "time: total over them"
        )
    return "\n".join(lines + notes)


def _number(value: float) -> str:
    return "nan" if not math.isfinite(value) else f"{value:.1f}"
