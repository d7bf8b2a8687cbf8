"""The installed package: one version, typed (py.typed, stubs that match the extension's
signatures), real Python enums, nothing but the callsup package in the wheel."""

from __future__ import annotations

import ast
import enum
import importlib
import importlib.metadata
import inspect
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

import callsup
from callsup import _core

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(callsup.__file__).parent
STUB = PACKAGE / "_core.pyi"


def test_one_version_everywhere() -> None:
    version = (ROOT / "VERSION").read_text().strip()
    assert callsup.__version__ == _core.__version__ == version
    assert importlib.metadata.version("callsup") == version


def test_typed_package() -> None:
    assert (PACKAGE / "py.typed").is_file()
    assert STUB.is_file()


def test_the_wheel_installs_only_the_callsup_package() -> None:
    files = importlib.metadata.files("callsup")
    assert files is not None
    tops = {Path(str(f)).parts[0] for f in files}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"callsup"}, tops
    names = {Path(str(f)).name for f in files}
    assert "py.typed" in names and "_core.pyi" in names
    assert not any(n.endswith((".hpp", ".h", ".a")) for n in names)  # no C++ headers or libraries


def test_all_lists_every_public_name_once() -> None:
    assert len(set(callsup.__all__)) == len(callsup.__all__)
    for name in callsup.__all__:
        assert getattr(callsup, name) is not None
    public = {n for n in dir(_core) if not n.startswith("_")}
    assert set(_core.__all__) == public
    assert set(callsup.__all__) == public | {"Error", "InvalidArgumentError", "NotFoundError", "Session"}
    namespace: dict[str, Any] = {}
    exec("from callsup import *", namespace)
    assert {n for n in namespace if n != "__builtins__"} == set(callsup.__all__)


def classes(owner: Any = _core, prefix: str = "") -> Iterator[tuple[str, type]]:
    """Every class of the extension, nested ones included ("DtmfResult.Kind")."""
    for name, value in vars(owner).items():
        if isinstance(value, type) and not name.startswith("_") and value.__module__ == "callsup._core":
            yield prefix + name, value
            if not issubclass(value, enum.Enum):
                yield from classes(value, prefix + name + ".")


def test_enums_are_python_enums() -> None:
    names = {name for name, cls in classes() if issubclass(cls, enum.Enum)}
    expected = {"ErrorCode", "Mode", "Network", "LegState", "Role", "RegistryEventKind", "WhisperTo",
                "DirectoryChange.Kind", "DtmfCommand.Action", "DtmfResult.Kind", "RequestChannel",
                "SupervisionScope", "ListenDirection", "AgentLeavesInBarge"}  # fmt: skip
    assert expected <= names
    for name, cls in classes():
        # pybind11's old py::enum_ classes have __members__ but are no enum.Enum.
        assert issubclass(cls, enum.Enum) or not hasattr(cls, "__members__"), name


# --- the stubs against the extension's own signatures ---------------------------------------
# stubtest cannot read pybind11 signatures (no __text_signature__), so the parameter names
# and which of them have defaults are compared here, from the docstrings pybind11 writes.


def split_top_level(text: str) -> list[str]:
    parts, depth, current, quote = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{<":
            depth += 1
        elif char in ")]}>":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def runtime_signatures(function: Any, name: str) -> list[list[tuple[str, bool]]]:
    """[(parameter, has_default)] for each overload pybind11 documents, without self; for a
    method written in Python (those callsup.aio installs), its own signature."""
    if inspect.isfunction(function):
        params: list[tuple[str, bool]] = []
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY and ("*", False) not in params:
                params.append(("*", False))
            params.append((parameter.name, parameter.default is not parameter.empty))
        return [[p for p in params if p[0] != "self"]]
    out = []
    for line in (function.__doc__ or "").splitlines():
        line = re.sub(r"^\d+\. ", "", line.strip())  # "2. name(...)" of an overload
        if not line.startswith(name + "("):
            continue
        inner, depth = "", 0
        for char in line[len(name) :]:
            depth += char == "("
            depth -= char == ")"
            inner += char
            if depth == 0:
                break
        params = [(p.split(":")[0].split("=")[0].strip(), "=" in p) for p in split_top_level(inner[1:-1])]
        out.append([p for p in params if p[0] != "self"])
    return out


def stub_signature(node: ast.FunctionDef, takes_self: bool) -> list[tuple[str, bool]]:
    args = node.args
    positional = args.posonlyargs + args.args
    defaults = [False] * (len(positional) - len(args.defaults)) + [True] * len(args.defaults)
    params = list(zip([a.arg for a in positional], defaults))
    if args.kwonlyargs:
        params.append(("*", False))
        params += [(a.arg, d is not None) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    return params[1:] if takes_self else params


def stub_functions(
    stub: Path = STUB, module: Any = _core, prefix: str = ""
) -> Iterator[tuple[str, Any, ast.FunctionDef, bool]]:
    def walk(
        body: list[ast.stmt], owner: Any, prefix: str
    ) -> Iterator[tuple[str, Any, ast.FunctionDef, bool]]:
        for node in body:
            if isinstance(node, ast.ClassDef):
                yield from walk(node.body, getattr(owner, node.name), prefix + node.name + ".")
            elif isinstance(node, ast.FunctionDef):
                decorators = {ast.unparse(d) for d in node.decorator_list}
                if decorators & {"property"} or any(d.endswith(".setter") for d in decorators):
                    continue
                if node.name.startswith("__") and node.name != "__init__":
                    continue
                takes_self = owner is not module and "staticmethod" not in decorators
                yield prefix + node.name, getattr(owner, node.name), node, takes_self

    yield from walk(ast.parse(stub.read_text()).body, module, prefix)


def vendor_modules() -> Iterator[tuple[Path, Any, str]]:
    """callsup.vendor and its modules, with their stubs (the runtime is _core._vendor)."""
    for stub in sorted((PACKAGE / "vendor").glob("*.pyi")):
        name = "callsup.vendor" + ("" if stub.stem == "__init__" else "." + stub.stem)
        yield stub, importlib.import_module(name), name


STUBBED = list(stub_functions())
for _stub, _module, _name in vendor_modules():
    STUBBED += stub_functions(_stub, _module, _name + ".")


def test_every_vendor_module_has_stubs_and_exports_what_they_declare() -> None:
    names = [name for _, _, name in vendor_modules()]
    assert names == [
        "callsup.vendor",
        "callsup.vendor.asterisk_spy",
        "callsup.vendor.lead_center",
        "callsup.vendor.portaswitch",
        "callsup.vendor.stratus",
        "callsup.vendor.tronic",
    ]
    for stub, module, name in vendor_modules():
        declared = ast.literal_eval(
            next(
                node.value
                for node in ast.parse(stub.read_text()).body
                if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__"
            )
        )
        assert declared == module.__all__, name
        assert {n for n in dir(module) if not n.startswith("_")} >= set(declared), name


@pytest.mark.parametrize(("name", "runtime", "node", "takes_self"), STUBBED, ids=[s[0] for s in STUBBED])
def test_stub_parameters_match_the_extension(
    name: str, runtime: Any, node: ast.FunctionDef, takes_self: bool
) -> None:
    signatures = runtime_signatures(runtime, node.name)
    assert signatures, f"{name}: no pybind11 signature in {inspect.getdoc(runtime)!r}"
    assert stub_signature(node, takes_self) in signatures, (name, signatures)
