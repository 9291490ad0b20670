"""
Which normalization when: every skscale transformer beside scikit-learn's
=========================================================================

Each row takes one column of the course's California housing data, shows its
histogram on the training rows, and what an skscale transformer and its
nearest scikit-learn peer make of it. The peers compute the same map where
one exists (``LinearScaler`` and ``MinMaxScaler``, ``ZScoreScaler`` and
``StandardScaler``, ``LogTransformer`` and ``log1p``); where none does, the
row shows what scikit-learn offers for the same problem (``RobustScaler``
against outliers, ``PowerTransformer`` as its automatic per-column answer to
skew). :doc:`/choosing` says which to pick for which column.

The data is the course's ``california_housing_train.csv``: the course
downloads it from
https://download.mlcc.google.com/mledu-datasets/california_housing_train.csv,
and Colab notebooks have it in ``sample_data/``. Run the script with its path
as argument or in the environment variable ``SKSCALE_CALIFORNIA_CSV``.
Without it, the script uses scikit-learn's bundled breast-cancer data
instead, whose size measurements are skewed like the census counts, and the
first line of its output says which data the figures show.
"""

# %%
# The data
# --------
# The training rows of the course's split; ``rooms_per_person`` is the
# course's synthetic feature. Each row of the figure uses one kind of column.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    Binarizer,
    FunctionTransformer,
    KBinsDiscretizer,
    MinMaxScaler,
    PowerTransformer,
    QuantileTransformer,
    RobustScaler,
    StandardScaler,
)

from skscale import (
    AutoScaler,
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    PiecewiseLinearEncoder,
    QuantileNormalizer,
    ZScoreScaler,
)

# isort: split
# sphinx_gallery_start_ignore
# Where the CSV is: the first argument, else SKSCALE_CALIFORNIA_CSV, else
# ../shared/data/ beside the repository. sys.argv[0] rather than __file__,
# which sphinx-gallery does not define when it runs this script.
import os
import sys
from pathlib import Path

default = os.environ.get(
    "SKSCALE_CALIFORNIA_CSV",
    Path(sys.argv[0]).resolve().parents[2] / "shared/data/california_housing_train.csv",
)
path = Path(sys.argv[1] if len(sys.argv) > 1 else default)
# sphinx_gallery_end_ignore

if path.exists():
    data = pd.read_csv(path).sample(frac=1.0, random_state=42).iloc[:12_000]
    data["rooms_per_person"] = data["total_rooms"] / data["population"]
    source = "the course's California housing data, 12,000 training rows"
    kinds = {
        "bounded": "housing_median_age",
        "one hump": "median_income",
        "skewed": "population",
        "far outliers": "rooms_per_person",
        "long tail": "total_rooms",
        "count": "households",
    }
else:
    data = load_breast_cancer(as_frame=True).data
    source = "scikit-learn's breast-cancer data (the course's CSV was not found)"
    kinds = {
        "bounded": "mean smoothness",
        "one hump": "mean texture",
        "skewed": "mean area",
        "far outliers": "area error",
        "long tail": "worst area",
        "count": "worst perimeter",
    }
print(f"data: {source}")

# %%
# The pairs
# ---------
# (kind of column, skscale transformer, scikit-learn's peer). Both are fitted
# on the same column; ``BinaryThresholder`` learns the median, scikit-learn's
# ``Binarizer`` is given it.
median = float(data[kinds["one hump"]].median())
n_quantiles = min(1000, len(data))  # the fallback data has 569 rows
pairs = [
    ("bounded", LinearScaler(), MinMaxScaler(feature_range=(-1, 1))),
    ("one hump", ZScoreScaler(), StandardScaler()),
    ("skewed", LogTransformer(), FunctionTransformer(np.log1p)),
    ("far outliers", Clipper(quantile_range=(1, 99)), RobustScaler()),
    ("one hump", BinaryThresholder("median"), Binarizer(threshold=median)),
    (
        "long tail",
        QuantileNormalizer(n_quantiles),
        QuantileTransformer(n_quantiles=n_quantiles, output_distribution="normal"),
    ),
    ("count", AutoScaler(), PowerTransformer()),
]


def name(estimator):
    return type(estimator).__name__


fig, axes = plt.subplots(len(pairs), 3, figsize=(9, 2.1 * len(pairs)))
for row, (kind, ours, peer) in zip(axes, pairs):
    column = data[[kinds[kind]]]
    outputs = [
        column.to_numpy(),
        ours.fit_transform(column),
        peer.fit_transform(column),
    ]
    titles = [f"{kinds[kind]} ({kind})", name(ours), name(peer)]
    colors = ["0.55", "tab:blue", "tab:orange"]
    for ax, values, title, color in zip(row, outputs, titles, colors):
        ax.hist(np.ravel(values), bins=50, color=color)
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.locator_params(axis="x", nbins=5)
        ax.set_yticks([])
axes[0, 0].annotate("training rows", (0.5, 1.35), xycoords="axes fraction",
                    ha="center", fontsize=10, weight="bold")  # fmt: skip
axes[0, 1].annotate("skscale", (0.5, 1.35), xycoords="axes fraction",
                    ha="center", fontsize=10, weight="bold")  # fmt: skip
axes[0, 2].annotate("scikit-learn", (0.5, 1.35), xycoords="axes fraction",
                    ha="center", fontsize=10, weight="bold")  # fmt: skip
fig.tight_layout()
plt.show()

# %%
# Encoders: one column becomes several
# ------------------------------------
# ``PiecewiseLinearEncoder`` turns a column into ramps over its quantile bins
# (each goes from 0 to 1 across its bin); scikit-learn's ``KBinsDiscretizer``
# into one-hot steps over the same bins. Each line is one output column,
# plotted against the input value, stacked one above the other.
column = data[[kinds["one hump"]]]
grid = pd.DataFrame(
    {column.columns[0]: np.linspace(*np.percentile(column, [0.5, 99.5]), 400)}
)
encoders = [
    PiecewiseLinearEncoder(n_bins=6),
    KBinsDiscretizer(n_bins=6, encode="onehot-dense", quantile_method="linear"),
]
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), sharey=True)
for ax, encoder in zip(axes, encoders):
    encoded = encoder.fit(column).transform(grid)
    ax.plot(grid.iloc[:, 0], encoded + 1.5 * np.arange(encoded.shape[1]))
    ax.set(title=name(encoder), xlabel=column.columns[0], yticks=[])
axes[0].set_ylabel("output columns, stacked")
fig.tight_layout()
plt.show()

# %%
# The course's Task 3, column by column
# -------------------------------------
# What the course's "alternate normalization" does to each column, fitted on
# the training rows: log for the three count-like columns, linear scaling for
# the coordinates and the age, clipping then linear scaling for the others.
# Beside each, ``AutoScaler``'s choice for the same column.
if path.exists():
    task3 = ColumnTransformer(
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
    ).set_output(transform="pandas")
    features = data.drop(columns="median_house_value")
    by_hand = task3.fit_transform(features)
    automatic = AutoScaler().set_output(transform="pandas")
    chosen = automatic.fit_transform(features)
    fig, axes = plt.subplots(3, 3, figsize=(9, 6.5))
    for ax, feature in zip(axes.ravel(), by_hand.columns):
        strategy = automatic.strategies_[list(features.columns).index(feature)]
        ax.hist(by_hand[feature], bins=40, alpha=0.7, label="Task 3")
        ax.hist(chosen[feature], bins=40, alpha=0.7, label=f"AutoScaler: {strategy}")
        ax.set_title(feature, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.locator_params(axis="x", nbins=5)
        ax.set_yticks([])
        ax.legend(fontsize=6, loc="upper left")
    fig.suptitle("The course's Task 3 and AutoScaler, on the training rows")
    fig.tight_layout()
else:  # Task 3 names the course's columns: nothing to draw without them
    fig, ax = plt.subplots(figsize=(9, 1.5))
    ax.text(0.5, 0.5, "Task 3 needs the course's CSV, which was not found.",
            ha="center", va="center")  # fmt: skip
    ax.set_axis_off()
plt.show()
