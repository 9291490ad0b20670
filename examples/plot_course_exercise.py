"""
The course's exercise with skscale: Tasks 1, 2 and 3
=====================================================

Google's Machine Learning Crash Course exercise "Improving Neural Net
Performance" normalizes the California housing features with plain pandas
functions, fitted on all rows. Here each normalization is a scikit-learn
transformer inside a ColumnTransformer, fitted on the training rows only, and
the network is skscale's ``DropoutMLPRegressor`` with the course's [10, 10]
ReLU layers and gradients clipped at norm 5.

Get the course's CSV from the course's download
(https://download.mlcc.google.com/mledu-datasets/california_housing_train.csv)
or from Colab's ``sample_data/`` folder, and run the script with its path as
argument (or in the environment variable ``SKSCALE_CALIFORNIA_CSV``)::

    python examples/plot_course_exercise.py path/to/california_housing_train.csv
"""

# %%
# The data, as the course prepares it
# -----------------------------------
# The course's ``california_housing_train.csv``: the course downloads it from
# https://download.mlcc.google.com/mledu-datasets/california_housing_train.csv,
# and Colab notebooks have it in ``sample_data/``. A synthetic
# ``rooms_per_person`` feature, the target in thousands of dollars, rows
# shuffled with a fixed seed, the first 12,000 to train and the last 5,000 to
# validate.
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline

from skscale import AutoScaler, Clipper, LinearScaler, LogTransformer
from skscale.neural_network import DropoutMLPRegressor, TrainingHealthWarning

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
if not path.exists():
    print(
        f"skipped: the course's california_housing_train.csv is not at {path}; "
        "pass its path as the first argument"
    )
    sys.exit(0)
# sphinx_gallery_end_ignore

data = pd.read_csv(path).sample(frac=1.0, random_state=42).reset_index(drop=True)
data["rooms_per_person"] = data["total_rooms"] / data["population"]
target = data.pop("median_house_value") / 1000.0
X_train, y_train = data.iloc[:12_000], target.iloc[:12_000]
X_valid, y_valid = data.iloc[-5_000:], target.iloc[-5_000:]
features = list(data.columns)


def network(solver, learning_rate):
    """The course's network; learning rates suit our mean-reduced loss."""
    return DropoutMLPRegressor(
        hidden_layer_sizes=(10, 10),
        solver=solver,
        learning_rate_init=learning_rate,
        momentum=0.0,
        batch_size=50,
        max_iter=30,
        clip_norm=5.0,
        tol=0.0,
        n_iter_no_change=30,
        random_state=0,
    )


# %%
# Task 1: linear scaling of every feature, gradient descent
# ----------------------------------------------------------
# Task 2: the same features with Adagrad and with Adam.
# Task 3: the course's alternate normalization: log for three count columns,
# linear scaling for the coordinates and the age, clipping then linear
# scaling for the others.
# Around them: the course's unnormalized baseline, and ``AutoScaler`` choosing
# per column with Task 3's network and optimizer.
linear_all = ColumnTransformer([("linear", LinearScaler(), features)])
task3 = ColumnTransformer(
    [
        ("log", LogTransformer(), ["households", "median_income", "total_bedrooms"]),
        ("linear", LinearScaler(), ["latitude", "longitude", "housing_median_age"]),
        (
            "clip",
            make_pipeline(
                Clipper(lower=0.0, upper=[5000.0, 5.0, 10000.0]), LinearScaler()
            ),
            ["population", "rooms_per_person", "total_rooms"],
        ),
    ]
)
# Each row: (normalizer, network, the median validation RMSE of the course
# learners' runs of that cell, where the course has the cell).
tasks = {
    "No normalization, GD": ("passthrough", network("sgd", 0.01), 103.2),
    "Task 1, linear scale + GD": (linear_all, network("sgd", 0.01), 71.5),
    "Task 2, Adagrad": (linear_all, network("adagrad", 0.5), 68.7),
    "Task 2, Adam": (linear_all, network("adam", 0.01), 70.2),
    "Task 3, alternate normalization": (task3, network("adagrad", 0.5), 69.4),
    "AutoScaler, Adagrad": (AutoScaler(), network("adagrad", 0.5), ""),
}

# Like the course, every run trains for a fixed budget (so scikit-learn's
# ConvergenceWarning says nothing new); what the networks warn about their
# training (dead ReLU units: the lesson's failure case) is printed under the
# table.
rows, curves, notes = [], {}, []
for name, (normalizer, model, course_median) in tasks.items():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pipeline = make_pipeline(normalizer, model).fit(X_train, y_train)
    health = [w for w in caught if issubclass(w.category, TrainingHealthWarning)]
    notes += [f"{name}: {w.message}" for w in health]
    rmse = np.sqrt(np.mean((pipeline.predict(X_valid) - y_valid) ** 2))
    rows.append((name, round(rmse, 1), course_median))
    curves[name] = pipeline[-1].loss_curve_
print(
    pd.DataFrame(
        rows, columns=["task", "skscale valid RMSE", "course median valid RMSE"]
    ).to_string(index=False)
)
print("\n".join(["", *notes]))

# %%
# The training loss of each task
# ------------------------------
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 3.5))
for name, curve in curves.items():
    ax.plot(np.arange(1, len(curve) + 1), curve, label=name)
ax.set(xlabel="epoch", ylabel="training loss (half MSE)", yscale="log")
ax.set_title("Training loss of the course's tasks")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
