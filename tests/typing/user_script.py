"""A user's script, type-checked by ``mypy --strict`` in tests/test_typing.py.

Every public estimator in a Pipeline, a ColumnTransformer and a GridSearchCV,
as a user of the installed package would write it. scikit-learn ships no
types, hence its imports' ``type: ignore``. The ``reveal_type`` calls run
only under the type checker; the test reads what mypy reveals, and also runs
this script to show that it works.
"""

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.compose import ColumnTransformer  # type: ignore[import-untyped]
from sklearn.datasets import load_diabetes  # type: ignore[import-untyped]
from sklearn.model_selection import GridSearchCV  # type: ignore[import-untyped]
from sklearn.pipeline import Pipeline  # type: ignore[import-untyped]

import skscale
from skscale import (
    AutoScaler,
    BinaryThresholder,
    Clipper,
    DropoutMLPClassifier,
    DropoutMLPRegressor,
    LinearScaler,
    LogTransformer,
    PiecewiseLinearEncoder,
    QuantileNormalizer,
    ZScoreScaler,
    linear_scale,
)


def main() -> None:
    data = load_diabetes(as_frame=True, scaled=False)
    X: pd.DataFrame = data.data
    y: pd.Series = data.target

    scaler = AutoScaler(scaler="zscore").fit(X)
    transformed = scaler.transform(X)
    fitted_transformed = AutoScaler().fit_transform(X)
    report: pd.DataFrame = scaler.report()
    strategies: list[str] = scaler.strategies_

    columns = ColumnTransformer(
        [
            ("linear", LinearScaler(feature_range=(0.0, 1.0)), ["age"]),
            ("log", LogTransformer(offset="auto"), ["s1"]),
            ("clip", Clipper(quantile_range=(1.0, 99.0)), ["s2"]),
            ("zscore", ZScoreScaler(ddof=1), ["s3"]),
            ("threshold", BinaryThresholder("median"), ["sex"]),
            ("quantile", QuantileNormalizer(output_distribution="uniform"), ["s4"]),
            ("ple", PiecewiseLinearEncoder(n_bins=4), ["s5"]),
            ("auto", AutoScaler(), ["bmi", "bp", "s6"]),
        ]
    )
    network = DropoutMLPRegressor(
        hidden_layer_sizes=(8,),
        activation="tanh",
        solver="adagrad",
        learning_rate="constant",
        max_iter=20,
        random_state=0,
    )
    search = GridSearchCV(
        Pipeline([("columns", columns), ("network", network)]),
        {"network__dropout": [0.0, 0.1]},
        cv=2,
    ).fit(X, y)
    predictions = network.fit(columns.fit_transform(X), y).predict(columns.transform(X))

    labels = (y > y.median()).to_numpy()
    classifier = DropoutMLPClassifier(hidden_layer_sizes=(8,), max_iter=20)
    classifier = classifier.fit(ZScoreScaler().fit_transform(X), labels)
    probabilities = classifier.predict_proba(ZScoreScaler().fit_transform(X))

    ages: pd.Series = linear_scale(X["age"])
    as_array: NDArray[np.floating] = linear_scale(X["age"].to_numpy())
    with skscale.config_context(n_threads=1):
        score: float = network.score(columns.transform(X), y)

    if TYPE_CHECKING:
        from typing_extensions import reveal_type

        reveal_type(scaler)
        reveal_type(transformed)
        reveal_type(fitted_transformed)
        reveal_type(predictions)
        reveal_type(probabilities)
        reveal_type(ages)
    print(report.shape, strategies[:1], search.best_params_, ages.name, score)
    print(transformed.shape, predictions.shape, probabilities.shape, as_array.shape)


if __name__ == "__main__":
    main()
