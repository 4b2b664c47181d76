"""Running a pipeline from Python: what the compiled tiers and tests call."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from .pipeline import parse_pipeline
from .registry import Registry
from .runner import PassRunner


def run_passes(module: Any, pipeline: str, arg_types: Optional[Mapping[str, tuple]] = None,
               registry: Optional[Registry] = None, verify_each: bool = False) -> bool:
    """Run ``pipeline`` (text, e.g. ``"inline,sccp,dce"``) over ``module`` in place;
    True if anything changed. Raises PipelineError for a bad pipeline and PassFailure
    when a pass fails."""
    from .instruments import VerifyEach
    reg = registry or Registry()
    runner = PassRunner(reg, [VerifyEach()] if verify_each else [], arg_types or {})
    return runner.run(module, parse_pipeline(pipeline, reg))
