"""_native.pyi describes the native module exactly: the same public names, the same function
signatures, the same exception classes."""

import ast
import inspect
from pathlib import Path

from journeystream import _native

import journeystream

STUB = Path(journeystream.__file__).with_name("_native.pyi")


def stub_tree():
    return ast.parse(STUB.read_text(encoding="utf-8"))


def public(name):
    return not name.startswith("_") or name == "__version__"


def stub_names():
    names = {}
    for node in stub_tree().body:
        if isinstance(node, ast.FunctionDef):
            names[node.name] = node
        elif isinstance(node, ast.ClassDef):
            names[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    names[t.id] = node
    return {k: v for k, v in names.items() if public(k)}


def test_stub_and_module_have_the_same_names():
    module = {n for n in dir(_native) if public(n)}
    stub = set(stub_names())
    assert module - stub == set(), "in the module, missing from _native.pyi"
    assert stub - module == set(), "in _native.pyi, missing from the module"


def test_stub_all_matches_the_module_all():
    stub_all = None
    for node in stub_tree().body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            stub_all = ast.literal_eval(node.value)
    assert stub_all == list(_native.__all__)
    assert set(stub_all) == set(stub_names())


def test_functions_have_the_stubbed_signatures():
    for name, node in stub_names().items():
        obj = getattr(_native, name)
        if not isinstance(node, ast.FunctionDef):
            assert not callable(obj) or isinstance(obj, type), name
            continue
        assert callable(obj) and not isinstance(obj, type), name
        assert node.returns is not None, f"{name} has no return type in the stub"
        params = inspect.signature(obj).parameters
        args = node.args
        assert not args.vararg and not args.kwarg and not args.kwonlyargs, name
        assert [a.arg for a in args.args] == list(params), name
        for a in args.args:
            assert a.annotation is not None, f"{name}({a.arg}) has no type in the stub"
        defaults = [ast.literal_eval(d) for d in args.defaults]
        native_defaults = [p.default for p in params.values() if p.default is not inspect.Parameter.empty]
        assert defaults == native_defaults, name


def test_exception_classes_are_stubbed_with_their_bases():
    for name, node in stub_names().items():
        obj = getattr(_native, name)
        if not isinstance(node, ast.ClassDef):
            continue
        assert isinstance(obj, type) and issubclass(obj, BaseException), name
        bases = [b.id for b in node.bases if isinstance(b, ast.Name)]
        assert bases == [obj.__bases__[0].__name__], name


def test_package_ships_py_typed():
    assert STUB.with_name("py.typed").exists()
