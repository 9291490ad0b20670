"""Types that reach the user: the stubs (skscale/**/*.pyi) match the runtime,
and ``mypy --strict`` passes on a user's script with the types it promises.

The stubs are the public surface written once for type checkers; these tests
keep them honest as parameters are added: every public class's ``__init__``
(names, kinds, defaults), its ``Literal`` options against its
``_parameter_constraints``, its public methods and its documented attributes.
"""

import ast
import importlib.metadata
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from numpydoc.docscrape import ClassDoc

import skscale

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = Path(__file__).resolve().parent / "typing"
PUBLIC_CLASSES = sorted(
    name for name in skscale.__all__ if inspect.isclass(getattr(skscale, name))
)
PUBLIC_FUNCTIONS = sorted(
    name
    for name in skscale.__all__
    if inspect.isfunction(getattr(skscale, name))
    or callable(getattr(skscale, name))
    and not inspect.isclass(getattr(skscale, name))
)


def stub_definitions():
    """Every class and function defined in a stub: name -> (node, stub file)."""
    found = {}
    for stub in sorted((ROOT / "skscale").rglob("*.pyi")):
        for node in ast.parse(stub.read_text()).body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef):
                found.setdefault(node.name, []).append(node)
    return found


STUBS = stub_definitions()


def stub_class(name):
    (node,) = STUBS[name]
    assert isinstance(node, ast.ClassDef), name
    return node


def stub_members(name):
    """The stub class's methods and annotated attributes, bases included."""
    node = stub_class(name)
    methods, attributes = {}, set()
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in STUBS:
            base_methods, base_attributes = stub_members(base.id)
            methods.update(base_methods)
            attributes |= base_attributes
    for item in node.body:
        if isinstance(item, ast.FunctionDef):
            methods[item.name] = item
        elif isinstance(item, ast.AnnAssign):
            attributes.add(item.target.id)
    return methods, attributes


def stub_parameters(function):
    """[(name, kind, default node or None)] of a stub function, self dropped."""
    args = function.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + args.defaults
    params = [
        (arg.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD, default)
        for arg, default in zip(positional, defaults)
    ]
    params += [
        (arg.arg, inspect.Parameter.KEYWORD_ONLY, default)
        for arg, default in zip(args.kwonlyargs, args.kw_defaults)
    ]
    if args.kwarg:
        params.append((args.kwarg.arg, inspect.Parameter.VAR_KEYWORD, None))
    return [p for p in params if p[0] != "self"]


def runtime_parameters(function):
    signature = inspect.signature(function)
    return [p for p in signature.parameters.values() if p.name != "self"]


def assert_same_signature(stub, runtime, where):
    expected = runtime_parameters(runtime)
    actual = stub_parameters(stub)
    assert [(p.name, p.kind) for p in expected] == [(n, k) for n, k, _ in actual], (
        f"{where}: the stub's parameters differ from the runtime's"
    )
    for parameter, (name, _, default) in zip(expected, actual):
        if parameter.default is inspect.Parameter.empty:
            assert default is None, f"{where}: {name} has no default at run time"
        elif isinstance(default, ast.Constant) and default.value is Ellipsis:
            continue  # metadata requests default to a sentinel: "..." in stubs
        else:
            assert default is not None, f"{where}: {name} lacks its default"
            assert ast.literal_eval(default) == parameter.default, (
                f"{where}: default of {name}"
            )


def literal_options(annotation):
    """The strings of every ``Literal[...]`` inside an annotation."""
    options = set()
    for node in ast.walk(annotation):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Literal"
        ):
            items = (
                node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            )
            options |= {item.value for item in items}
    return options


@pytest.mark.parametrize("name", PUBLIC_CLASSES)
def test_stub_init_matches_the_runtime_signature(name):
    methods, _ = stub_members(name)
    cls = getattr(skscale, name)
    if not issubclass(cls, Warning):
        assert_same_signature(methods["__init__"], cls.__init__, f"{name}.__init__")


@pytest.mark.parametrize("name", PUBLIC_CLASSES)
def test_stub_literals_are_the_parameter_constraints_options(name):
    cls = getattr(skscale, name)
    methods, _ = stub_members(name)
    if "__init__" not in methods:
        return
    annotations = {
        arg.arg: arg.annotation
        for arg in methods["__init__"].args.args + methods["__init__"].args.kwonlyargs
        if arg.annotation is not None
    }
    for parameter, constraints in cls._parameter_constraints.items():
        # scikit-learn's StrOptions, matched by name: its class is private
        options = set().union(
            *(c.options for c in constraints if type(c).__name__ == "StrOptions")
        )
        assert literal_options(annotations[parameter]) == options, (
            f"{name}({parameter}=...): the stub's Literal is not {sorted(options)}"
        )


@pytest.mark.parametrize("name", PUBLIC_CLASSES)
def test_stub_declares_every_public_method(name):
    cls = getattr(skscale, name)
    methods, _ = stub_members(name)
    public = [
        member
        for member in dir(cls)
        if not member.startswith("_") and inspect.isfunction(getattr(cls, member))
    ]
    missing = sorted(set(public) - set(methods))
    assert not missing, f"{name}: the stub lacks {missing}"
    for member in public:
        assert_same_signature(methods[member], getattr(cls, member), f"{name}.{member}")


@pytest.mark.parametrize("name", PUBLIC_CLASSES)
def test_stub_declares_every_documented_attribute(name):
    cls = getattr(skscale, name)
    _, attributes = stub_members(name)
    documented = {item.name for item in ClassDoc(cls)["Attributes"]}
    assert documented <= attributes, f"{name}: {sorted(documented - attributes)}"


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_stub_functions_match_the_runtime(name):
    runtime = getattr(skscale, name)
    if name == "config_context":  # **settings at run time: set_config's names
        runtime = skscale.set_config
    for overload in STUBS[name]:
        stub = [(n, d is None) for n, _, d in stub_parameters(overload)]
        expected = [
            (p.name, p.default is inspect.Parameter.empty)
            for p in runtime_parameters(runtime)
        ]
        assert stub == expected, name


def test_stub_exports_every_public_name():
    stub = ast.parse((ROOT / "skscale" / "__init__.pyi").read_text())
    (exported,) = [
        ast.literal_eval(node.value)
        for node in stub.body
        if isinstance(node, ast.Assign) and node.targets[0].id == "__all__"
    ]
    assert exported == skscale.__all__


# --- mypy on a user's script --------------------------------------------------


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory):
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    try:
        importlib.metadata.version("pandas-stubs")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("pandas-stubs is in the test extra")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--show-error-codes",
            "--cache-dir",
            str(tmp_path_factory.mktemp("mypy_cache")),
            "user_script.py",
            "misspelt_options.py",
        ],
        cwd=SCRIPTS,
        capture_output=True,
        text=True,
        timeout=600,
        # An editable install hides the package from mypy behind an import
        # hook; MYPYPATH points it at this checkout's stubs, as a wheel would.
        env={**os.environ, "MYPYPATH": str(ROOT)},
    )
    assert not completed.stderr.strip(), completed.stderr
    return completed.stdout.splitlines()


def test_user_script_passes_mypy_strict(mypy_output):
    errors = [
        line
        for line in mypy_output
        if line.startswith("user_script.py") and ": error:" in line
    ]
    assert not errors, "\n".join(errors)


def test_user_script_reveals_the_promised_types(mypy_output):
    revealed = [
        re.search(r'Revealed type is "(.*)"', line).group(1)
        for line in mypy_output
        if line.startswith("user_script.py") and "Revealed type" in line
    ]
    fitted, transformed, fit_transformed, predicted, probabilities, ages = revealed
    assert fitted == "skscale.preprocessing.AutoScaler"
    for array in (transformed, fit_transformed, predicted, probabilities):
        assert array.startswith("numpy.ndarray[")
    assert ages.startswith("pandas.core.series.Series[")


def test_misspelt_options_are_mypy_errors(mypy_output):
    lines = (SCRIPTS / "misspelt_options.py").read_text().splitlines()
    expected = {
        number for number, line in enumerate(lines, 1) if line.endswith("  # error")
    }
    flagged = {
        int(line.split(":")[1])
        for line in mypy_output
        if line.startswith("misspelt_options.py") and ": error:" in line
    }
    assert len(expected) == 8
    assert flagged == expected


def test_user_script_runs():
    completed = subprocess.run(
        [sys.executable, str(SCRIPTS / "user_script.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "(442, 10)" in completed.stdout
