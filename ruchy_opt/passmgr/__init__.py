"""The pass manager: the public API for pass authors, pipelines, analyses and plugins.

A plugin needs only this package and :mod:`ruchy_opt.ir`::

    from dataclasses import dataclass
    from ruchy_opt.passmgr import FunctionPass, PRESERVES_CFG

See docs/writing-a-pass.md. Names are imported on first use, so that the command line
pays for the pass manager only when it runs passes.
"""
from __future__ import annotations

import importlib
from typing import Any

#: public name -> submodule that defines it
_EXPORTS = {
    "Pass": "api", "FunctionPass": "api", "ModulePass": "api", "PassContext": "api",
    "PRESERVES_ALL": "api", "PRESERVES_CFG": "api", "PassManagerError": "api",
    "Analysis": "analysis", "AnalysisManager": "analysis", "register_analysis": "analysis",
    "Pipeline": "pipeline", "Repeat": "pipeline", "Fixpoint": "pipeline",
    "PipelineError": "pipeline", "parse_pipeline": "pipeline", "format_pipeline": "pipeline",
    "Registry": "registry", "PluginError": "registry", "UnknownPassError": "registry",
    "PassRunner": "runner", "PassFailure": "runner", "Instrument": "runner",
    "PassEvent": "runner", "run_passes": "driver",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    sub = _EXPORTS.get(name)
    if sub is None:
        raise AttributeError(f"module 'ruchy_opt.passmgr' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{sub}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
