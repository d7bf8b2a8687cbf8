"""Lists every public symbol of the installed callsup package that has no docstring; exits 1 if any.

Public: the names in __all__ of callsup, callsup.aio, callsup.rtp_phone, callsup.vendor and its
submodules; of each class, its public methods and properties (enum members and other plain
values need none). Run by scripts/api-docs with the python of a venv that has callsup installed.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import sys
from types import ModuleType

MODULES = ["callsup", "callsup.aio", "callsup.rtp_phone", "callsup.vendor"]


def has_doc(obj: object) -> bool:
    doc = getattr(obj, "__doc__", None)
    return isinstance(doc, str) and doc.strip() != ""


def own_doc(cls: type) -> bool:
    # A class without its own docstring would show its base's (pybind11_object's, object's).
    doc = cls.__dict__.get("__doc__")
    return isinstance(doc, str) and doc.strip() != ""


def is_pybind_instance_method(obj: object) -> bool:
    return type(obj).__name__ == "instancemethod"


def check_class(path: str, cls: type, missing: list[str]) -> None:
    if not own_doc(cls):
        missing.append(path)
    for name, raw in vars(cls).items():
        if name.startswith("_"):
            continue
        member = f"{path}.{name}"
        if isinstance(raw, property):
            if not has_doc(raw):
                missing.append(member)
        elif isinstance(raw, (staticmethod, classmethod)):
            if not has_doc(raw.__func__):
                missing.append(member)
        elif inspect.isroutine(raw) or is_pybind_instance_method(raw):
            if not has_doc(raw):
                missing.append(member)
        elif isinstance(raw, type):
            if raw.__module__.startswith("callsup"):
                check_class(member, raw, missing)
        # plain values (enum members, constants) need no docstring


def main() -> int:
    missing: list[str] = []
    seen: set[int] = set()
    modules: list[ModuleType] = [importlib.import_module(name) for name in MODULES]
    vendor = modules[-1]
    for name in getattr(vendor, "__all__", []):
        sub = getattr(vendor, name, None)
        if isinstance(sub, ModuleType):
            modules.append(sub)
    for module in modules:
        if not has_doc(module):
            missing.append(module.__name__)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if id(obj) in seen or isinstance(obj, ModuleType):
                continue
            seen.add(id(obj))
            path = f"{module.__name__}.{name}"
            if isinstance(obj, type):
                check_class(path, obj, missing)
            elif callable(obj):
                if not has_doc(obj):
                    missing.append(path)
    for path in missing:
        print(f"no docstring: {path}", file=sys.stderr)
    if missing:
        print(f"check_python_docstrings: {len(missing)} public symbols without a docstring", file=sys.stderr)
        return 1
    print(f"check_python_docstrings: every public symbol of {len(modules)} modules has a docstring")
    return 0


if __name__ == "__main__":
    sys.exit(main())
