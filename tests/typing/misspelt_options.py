"""Options misspelt as a user might: ``mypy --strict`` must flag each line
marked ``# error``. tests/test_typing.py checks that, and that nothing else is
flagged. Never run: each of these would fail in ``fit``.
"""

from skscale import (
    AutoScaler,
    BinaryThresholder,
    DropoutMLPClassifier,
    DropoutMLPRegressor,
    LogTransformer,
    QuantileNormalizer,
)


def misspelt() -> None:
    AutoScaler(scaler="robust")  # error
    QuantileNormalizer(output_distribution="gaussian")  # error
    BinaryThresholder("average")  # error
    LogTransformer(offset="learned")  # error
    DropoutMLPRegressor(activation="ReLU")  # error
    DropoutMLPRegressor(solver="rmsprop")  # error
    DropoutMLPClassifier(learning_rate="optimal")  # error
    DropoutMLPClassifier(batch_size="all")  # error
    AutoScaler(scaler="zscore", skew_threshold=1)  # fine: an int is a float
