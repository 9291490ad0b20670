"""The package's version, its one source: read by setuptools at build time
(``[tool.setuptools.dynamic]`` in pyproject.toml) and by ``skscale --version``
without importing anything else."""

__version__ = "0.1.0"
