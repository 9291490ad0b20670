"""
Tuning the normalizer, dropout and optimizer together
=====================================================

Every normalizer of skscale is a scikit-learn transformer, so it is a
hyperparameter like any other: GridSearchCV swaps it inside a Pipeline, fits
it on each training fold only, and compares. Here on scikit-learn's unscaled
diabetes data (bundled with scikit-learn, no download).
"""

# %%
# A pipeline and a grid
# ---------------------
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline

from skscale import AutoScaler, LinearScaler, ZScoreScaler
from skscale.neural_network import DropoutMLPRegressor, TrainingHealthWarning

X, y = load_diabetes(return_X_y=True, as_frame=True, scaled=False)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)

pipeline = Pipeline(
    [
        ("normalize", "passthrough"),
        (
            "mlp",
            DropoutMLPRegressor(
                hidden_layer_sizes=(32,),
                learning_rate_init=0.01,
                batch_size=32,
                max_iter=60,
                clip_norm=5.0,
                random_state=0,
            ),
        ),
    ]
)
# Each solver with a learning rate that suits it: Adagrad's steps shrink as
# its squared gradients accumulate, so it starts larger.
common = {
    "normalize": ["passthrough", LinearScaler(), ZScoreScaler(), AutoScaler()],
    "mlp__dropout": [0.0, 0.2],
}
grid = [
    {**common, "mlp__solver": ["adam"], "mlp__learning_rate_init": [0.01]},
    {**common, "mlp__solver": ["adagrad"], "mlp__learning_rate_init": [0.5]},
]
# Every fit trains for a fixed number of epochs, so scikit-learn's
# ConvergenceWarning says nothing new; the networks' own warnings about their
# training (dead ReLU units) are counted per normalizer below.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    search = GridSearchCV(
        pipeline, grid, cv=3, scoring="neg_root_mean_squared_error", n_jobs=1
    ).fit(X_train, y_train)
dead_units = [w for w in caught if issubclass(w.category, TrainingHealthWarning)]

# %%
# The results, best first
# -----------------------
results = pd.DataFrame(search.cv_results_)
table = pd.DataFrame(
    {
        "normalizer": results["param_normalize"].map(
            lambda v: v if isinstance(v, str) else type(v).__name__
        ),
        "dropout": results["param_mlp__dropout"],
        "solver": results["param_mlp__solver"],
        "cv RMSE": -results["mean_test_score"].round(1),
    }
).sort_values("cv RMSE")
print(table.to_string(index=False))
test_rmse = np.sqrt(np.mean((search.predict(X_test) - y_test) ** 2))
print(f"\nbest: {search.best_params_}")
print(f"held-out RMSE of the best pipeline: {test_rmse:.1f}")
print(f"fits that lost ReLU units (TrainingHealthWarning): {len(dead_units)}")

# %%
# Cross-validated RMSE per normalizer
# -----------------------------------
# The axis starts near the smallest value, not at 0: the differences between
# normalizers are a few units of RMSE on a scale of about 55.
best_per_normalizer = table.groupby("normalizer")["cv RMSE"].min().sort_values()
fig, ax = plt.subplots(figsize=(5, 3))
best_per_normalizer.plot.barh(ax=ax, color="tab:blue")
for y_position, value in enumerate(best_per_normalizer):
    ax.text(value, y_position, f" {value:.1f}", va="center")
low, high = best_per_normalizer.min(), best_per_normalizer.max()
ax.set_xlim(low - 0.2 * (high - low) - 1, high + 0.25 * (high - low) + 1)
ax.set(xlabel="best cross-validated RMSE (lower is better)", ylabel="")
ax.set_title("Best RMSE per normalizer")
fig.tight_layout()
plt.show()
