"""Test-session setup shared by tests/ and the doctests in skscale/."""

import os
from pathlib import Path

# scikit-learn's check_array_api_input runs (on numpy) only when SciPy's array
# API support is on; it must be set before SciPy is first imported.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# The course's California housing CSV, for the tests that use the course's
# data (and the examples they run, which read the same variable): the
# environment variable SKSCALE_CALIFORNIA_CSV, by default
# ../shared/data/california_housing_train.csv relative to the repository root.
# Set here, before the test modules are imported, so that they read one value.
os.environ.setdefault(
    "SKSCALE_CALIFORNIA_CSV",
    str(
        Path(__file__).resolve().parent.parent
        / "shared"
        / "data"
        / "california_housing_train.csv"
    ),
)
