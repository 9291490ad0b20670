"""The transformers inside ColumnTransformer, Pipeline and GridSearchCV."""

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline, make_pipeline

from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)


def make_frame(n=240, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "rooms": rng.lognormal(7, 1, n),
            "income": rng.standard_t(3, n) + 5,
            "age": rng.uniform(1, 52, n),
            "latitude": rng.uniform(32, 42, n),
        }
    )
    y = (
        np.log1p(frame["rooms"])
        + 0.3 * frame["income"].clip(0, 10)
        + 0.01 * frame["age"]
    )
    return frame, y.to_numpy()


def test_grid_search_over_column_transformer_tunes_and_swaps_normalizers():
    frame, y = make_frame()
    columns = ColumnTransformer(
        [
            ("log", make_pipeline(LogTransformer(), LinearScaler()), ["rooms"]),
            (
                "clip",
                make_pipeline(Clipper(quantile_range=(1, 99)), ZScoreScaler()),
                ["income"],
            ),
            ("linear", LinearScaler(), ["age"]),
            ("other", LinearScaler(), ["latitude"]),
        ]
    )
    model = Pipeline([("normalize", columns), ("ridge", Ridge(alpha=1.0))])
    grid = GridSearchCV(
        model,
        {
            "normalize__linear__feature_range": [(-1.0, 1.0), (0.0, 1.0)],
            "normalize__clip__clipper__quantile_range": [(1.0, 99.0), (5.0, 95.0)],
            "normalize__other": [
                LinearScaler(),
                LogTransformer(offset="auto"),
                Clipper(quantile_range=(10.0, 90.0)),
                ZScoreScaler(),
                BinaryThresholder("median"),
            ],
        },
        cv=3,
        n_jobs=2,
    )
    grid.fit(frame, y)
    assert len(grid.cv_results_["params"]) == 20
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))
    assert grid.best_score_ > 0.8
    names = grid.best_estimator_[:-1].get_feature_names_out()
    assert list(names) == [
        "log__rooms",
        "clip__income",
        "linear__age",
        "other__latitude",
    ]


def test_statistics_come_from_training_folds_only():
    frame, y = make_frame(n=100)
    model = make_pipeline(LinearScaler(), Ridge()).fit(frame.iloc[:50], y[:50])
    scaler = model[0]
    np.testing.assert_allclose(scaler.data_max_, frame.iloc[:50].max().to_numpy())
    assert not np.allclose(scaler.data_max_, frame.max().to_numpy())


def test_pandas_output_inside_a_column_transformer():
    frame, _ = make_frame(n=30)
    columns = ColumnTransformer(
        [
            ("z", ZScoreScaler(), ["rooms", "age"]),
            ("b", BinaryThresholder(), ["income"]),
        ]
    ).set_output(transform="pandas")
    out = columns.fit_transform(frame)
    assert list(out.columns) == ["z__rooms", "z__age", "b__income"]
    np.testing.assert_allclose(out["z__rooms"].mean(), 0.0, atol=1e-12)
