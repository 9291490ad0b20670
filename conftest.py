"""Test-session setup shared by tests/ and the doctests in skscale/."""

import importlib.util
import os
from pathlib import Path

# skscale/onnx needs the onnx extra (CI installs it); without it, its
# docstring examples are not collected (tests/test_onnx*.py skip by themselves)
if not all(importlib.util.find_spec(m) for m in ("skl2onnx", "onnxruntime")):
    collect_ignore_glob = ["skscale/onnx/*"]

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
