"""The package's public surface: lazy names, __all__, dir(), typing marker."""

import subprocess
import sys
from pathlib import Path

import skscale


def test_all_names_resolve_and_match_the_lazy_table():
    assert set(skscale.__all__) == set(skscale._LAZY) | {"__version__"}
    for name in skscale.__all__:
        assert getattr(skscale, name) is not None
    assert set(skscale.__all__) <= set(dir(skscale))


def test_from_import_works_and_unknown_names_raise():
    from skscale import LinearScaler, z_score_normalize

    assert LinearScaler.__module__.startswith("skscale.preprocessing")
    assert callable(z_score_normalize)
    try:
        skscale.NoSuchName  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchName" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_import_skscale_loads_no_heavy_library():
    code = (
        "import sys, skscale\n"
        "print(sorted({'numpy', 'pandas', 'sklearn', 'scipy'} & set(sys.modules)))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


def test_package_is_typed():
    assert (Path(skscale.__file__).parent / "py.typed").is_file()


def test_python_dash_m_skscale_is_the_command():
    completed = subprocess.run(
        [sys.executable, "-m", "skscale", "--version"], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == f"skscale {skscale.__version__}"
