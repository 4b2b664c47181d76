"""The pass registry: built-in passes, plugin packages and plugin files, by name.

Lazy by design, so that start-up imports nothing it does not run: the built-in table maps
each name to where its class lives (``"passes.dce:DCE"``) and a pass is imported the
first time it is asked for; plugin packages (entry-point group ``ruchy_opt.passes``) are
looked up only when a name is not built-in or when every pass is listed.

Everything a plugin can get wrong (failing to import, a malformed pass class, a taken
name) is a :class:`PluginError` that names the plugin; nothing escapes as a traceback.
"""
from __future__ import annotations

import dataclasses
import difflib
import importlib
import importlib.util
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Iterable, Optional

from .api import FunctionPass, ModulePass, Pass
from .params import ParamError, param_specs

ENTRY_POINT_GROUP = "ruchy_opt.passes"

#: Built-in passes: name -> "module:Class" (imported on first use).
BUILTIN: dict[str, str] = {
    "typespec": "passes.typespec:TypeSpec",
    "constfold": "passes.constfold:ConstFold",
    "sccp": "passes.sccp:SCCP",
    "dce": "passes.dce:DCE",
    "adce": "passes.adce:ADCE",
    "inline": "passes.inline:Inline",
    "unroll": "passes.unroll:Unroll",
    "simplifycfg": "passes.simplifycfg:SimplifyCFG",
    "gvn": "passes.gvn:GVN",
    "licm": "passes.licm:LICM",
    "sroa": "passes.sroa:SROA",
    "devirt": "passes.devirt:Devirt",
    "verify": "passes.utility:Verify",
    "print": "passes.utility:Print",
}

#: Named pipelines: ``-O1``, ``-O2`` and ``default<O2>`` in a pipeline.
NAMED_PIPELINES: dict[str, str] = {
    "O0": "",
    "O1": "sccp,constfold,simplifycfg,dce",
    "O2": "typespec,devirt,inline,sroa,fixpoint(sccp,constfold,simplifycfg,gvn,dce,devirt),"
          "licm,unroll,"
          "fixpoint(sccp,constfold,simplifycfg,gvn,adce)",
}

#: Words the pipeline syntax uses for itself.
RESERVED = frozenset({"repeat", "fixpoint", "default", "function", "module"})
_NAME = re.compile(r"^[a-z][a-z0-9_.-]*$")


class PluginError(Exception):
    """A plugin could not be loaded or defines a broken pass; the message names it."""


class UnknownPassError(LookupError):
    """No pass of that name; the message lists the valid choices."""


@dataclass(frozen=True)
class PassInfo:
    """A registered pass: its class and where it came from."""

    name: str
    cls: type[Pass]
    origin: str                    # "built-in", "package NAME VERSION", "file PATH"
    plugin_file: Optional[str] = None  # for replay commands of a file plugin's crash


def _short_exc(e: BaseException) -> str:
    """One line for an exception raised while importing a plugin, with its position."""
    if isinstance(e, SyntaxError):
        return f"SyntaxError: {e.msg} (line {e.lineno})"
    frames = traceback.extract_tb(e.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(e).__name__}: {e}{where}"


def check_pass_class(cls: type, plugin: str) -> None:
    """Raise PluginError unless ``cls`` is a well-formed pass class."""
    label = f"{plugin}: pass class {cls.__name__}"
    if not (issubclass(cls, FunctionPass) or issubclass(cls, ModulePass)):
        raise PluginError(f"{label} must subclass FunctionPass or ModulePass")
    name = getattr(cls, "name", "")
    if not isinstance(name, str) or not _NAME.match(name):
        raise PluginError(f"{label} needs a name of lower-case letters, digits, '-', '_' "
                          f"or '.' (has {name!r})")
    if name in RESERVED:
        raise PluginError(f"{label}: the name '{name}' is reserved by the pipeline syntax")
    run = "run_on_function" if issubclass(cls, FunctionPass) else "run_on_module"
    if getattr(cls, run) is getattr(FunctionPass if run == "run_on_function" else ModulePass,
                                    run):
        raise PluginError(f"{label} does not define {run}(self, ..., ctx)")
    own = cls.__dict__.get("__annotations__", {})
    fields = {f.name for f in dataclasses.fields(cls)}
    meta = fields & {"name", "description", "requires", "preserves"}
    if meta:
        raise PluginError(f"{label}: '{sorted(meta)[0]}' is a class attribute, not a "
                          "parameter; write it without a type annotation")
    stray = [n for n, t in own.items() if n not in fields and "ClassVar" not in str(t)]
    if stray:
        raise PluginError(f"{label}: declare it with @dataclass(frozen=True) so that "
                          f"{', '.join(stray)} become parameters")
    if not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        raise PluginError(f"{label} must be @dataclass(frozen=True)")
    try:
        param_specs(cls)
    except ParamError as e:
        raise PluginError(f"{plugin}: {e}") from None
    from .analysis import known_analysis
    for a in getattr(cls, "requires", ()):
        if not known_analysis(a):
            raise PluginError(f"{label} requires unknown analysis '{a}'")


class Registry:
    """Passes by name: built-ins, then plugin files, then plugin packages."""

    def __init__(self, builtin: Optional[dict[str, str]] = None,
                 use_entry_points: bool = True) -> None:
        self._builtin = dict(BUILTIN if builtin is None else builtin)
        self._loaded: dict[str, PassInfo] = {}
        self._entry_points: Optional[dict[str, object]] = None if use_entry_points else {}
        self._use_entry_points = use_entry_points

    # ---- lookup --------------------------------------------------------------------

    def get(self, name: str) -> PassInfo:
        """The pass called ``name``; UnknownPassError lists the valid ones."""
        info = self._loaded.get(name)
        if info is not None:
            return info
        if name in self._builtin:
            return self._load_builtin(name)
        eps = self._eps()
        if name in eps:
            self._load_entry_point(name, eps[name])
            if name in self._loaded:
                return self._loaded[name]
        names = self.names()
        close = difflib.get_close_matches(name, names, n=3)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise UnknownPassError(f"unknown pass '{name}'{hint}; valid passes: "
                               f"{', '.join(names)}")

    def names(self) -> list[str]:
        """Every pass name known without importing anything, sorted."""
        return sorted(set(self._builtin) | set(self._loaded) | set(self._eps()))

    def all(self, errors: Optional[list[str]] = None) -> list[PassInfo]:
        """Every pass, imported. A plugin package that fails raises PluginError, or, if
        ``errors`` is given, has its message appended there and is left out."""
        for name in self._builtin:
            self.get(name)
        for name, ep in self._eps().items():
            if name not in self._loaded:
                try:
                    self._load_entry_point(name, ep)
                except PluginError as e:
                    if errors is None:
                        raise
                    errors.append(str(e))
        return sorted(self._loaded.values(), key=lambda i: (i.origin != "built-in", i.name))

    def origin_of(self, cls: type) -> Optional[PassInfo]:
        """The registration of a pass class (to name its plugin in errors)."""
        for info in self._loaded.values():
            if info.cls is cls:
                return info
        return None

    # ---- registration ----------------------------------------------------------------

    def register(self, cls: type[Pass], origin: str, plugin_file: Optional[str] = None) -> None:
        """Add a pass class (checked) under its name."""
        check_pass_class(cls, origin)
        old = self._loaded.get(cls.name)
        if old is not None and old.cls is not cls or old is None and cls.name in self._builtin \
                and origin != "built-in":
            taken = old.origin if old else "built-in"
            raise PluginError(f"{origin}: pass name '{cls.name}' is already taken ({taken})")
        self._loaded[cls.name] = PassInfo(cls.name, cls, origin, plugin_file)

    def load_plugin_file(self, path: str) -> list[str]:
        """Import a single-file plugin and register every pass class defined in it.
        Returns the names registered."""
        p = Path(path)
        label = f"plugin file {path}"
        if not p.is_file():
            raise PluginError(f"{label}: no such file")
        mod_name = f"ruchy_opt_plugin_{re.sub(r'[^A-Za-z0-9_]', '_', p.stem)}_{abs(hash(str(p.resolve())))}"
        try:
            spec = importlib.util.spec_from_file_location(mod_name, p)
            if spec is None or spec.loader is None:
                raise PluginError(f"{label}: not a Python file")
            module = importlib.util.module_from_spec(spec)
            sys.modules[mod_name] = module  # dataclasses look their module up here
            spec.loader.exec_module(module)
        except PluginError:
            raise
        except BaseException as e:  # noqa: BLE001 - a plugin may raise anything, even SystemExit
            if isinstance(e, KeyboardInterrupt):
                raise
            sys.modules.pop(mod_name, None)
            raise PluginError(f"{label} failed to import: {_short_exc(e)}") from None
        # the absolute path, so that a crash's replay command works from any directory
        names = self._register_module(module, label, f"file {path}", str(p.resolve()))
        if not names:
            raise PluginError(f"{label} defines no passes (a pass is a @dataclass(frozen=True) "
                              "subclass of FunctionPass or ModulePass with a `name`)")
        return names

    def _register_module(self, module: ModuleType, label: str, origin: str,
                         plugin_file: Optional[str]) -> list[str]:
        names = []
        for obj in list(vars(module).values()):
            if isinstance(obj, type) and issubclass(obj, Pass) and \
                    obj.__module__ == module.__name__ and obj.__dict__.get("name"):
                try:
                    self.register(obj, origin, plugin_file)
                except PluginError as e:
                    raise PluginError(str(e).replace(origin, label, 1)) from None
                names.append(obj.name)
        return names

    def _load_builtin(self, name: str) -> PassInfo:
        where = self._builtin[name]
        mod_name, _, cls_name = where.partition(":")
        try:
            cls = getattr(importlib.import_module(mod_name), cls_name)
        except Exception as e:
            raise PluginError(f"built-in pass '{name}' failed to load: {_short_exc(e)}") from None
        self.register(cls, "built-in")
        return self._loaded[name]

    # ---- plugin packages ---------------------------------------------------------------

    def _eps(self) -> dict[str, object]:
        if self._entry_points is None:
            from importlib.metadata import entry_points
            try:
                found: Iterable = entry_points(group=ENTRY_POINT_GROUP)
            except Exception:  # a broken installed distribution must not stop the compiler
                found = ()
            self._entry_points = {ep.name: ep for ep in found}  # type: ignore[attr-defined]
        return self._entry_points

    def _load_entry_point(self, name: str, ep: object) -> None:
        dist = getattr(ep, "dist", None)
        origin = f"package {dist.name} {dist.version}" if dist is not None else \
            f"entry point {name}"
        label = f"plugin package {dist.name if dist is not None else name} " \
                f"(entry point '{name} = {getattr(ep, 'value', '?')}')"
        try:
            obj = ep.load()  # type: ignore[attr-defined]
        except BaseException as e:  # noqa: BLE001
            if isinstance(e, KeyboardInterrupt):
                raise
            raise PluginError(f"{label} failed to import: {_short_exc(e)}") from None
        if isinstance(obj, ModuleType):
            if not self._register_module(obj, label, origin, None):
                raise PluginError(f"{label} defines no passes")
            return
        if not isinstance(obj, type) or not issubclass(obj, Pass):
            raise PluginError(f"{label} must name a pass class or a module of passes")
        try:
            self.register(obj, origin)
        except PluginError as e:
            raise PluginError(str(e).replace(origin, label, 1)) from None
        if obj.name != name:
            self._loaded[name] = self._loaded[obj.name]  # the entry point's name is an alias
