"""Test-session setup shared by tests/ and the doctests in skscale/."""

import os

# scikit-learn's check_array_api_input runs (on numpy) only when SciPy's array
# API support is on; it must be set before SciPy is first imported.
os.environ.setdefault("SCIPY_ARRAY_API", "1")
