"""The page: the exploration as JSON data inside one HTML file, with the template's
script and style inlined (``template.html``, ``explore.js``, ``explore.css`` in this
package, read when a page is written). Nothing is fetched when the page is opened.
"""
from __future__ import annotations

import difflib
import json
from importlib import resources
from typing import Any, Optional

from .collect import Exploration
from .recorder import MAX_CFG_BLOCKS

#: Context lines around each change in a pass's diff (LLVM's print-changed shows 2-3).
DIFF_CONTEXT = 2


def _diff(before: Optional[str], after: Optional[str], name: str) -> str:
    return "".join(difflib.unified_diff(
        (before or "").splitlines(True), (after or "").splitlines(True),
        f"@{name} before", f"@{name} after", n=DIFF_CONTEXT))


def page_data(ex: Exploration, svgs: Optional[dict[int, str]], graph_note: str
              ) -> dict[str, Any]:
    """The JSON the page's script renders (see explore.js for how each part is shown)."""
    texts = ex.table.texts
    functions: list[str] = []
    stages = []
    previous: dict[str, int] = {}
    for st in ex.stages:
        after = st["after"]
        for name in after:
            if name not in functions:
                functions.append(name)
        out = {k: v for k, v in st.items() if k not in ("before", "after")}
        out["after"] = after
        if st["kind"] != "pass":  # lowering, specialising: a new module, shown whole
            out["changed"] = list(after)
            out["diffs"] = {}
        else:
            before = st.get("before", previous)
            names = list(before) + [n for n in after if n not in before]
            changed = [n for n in names if before.get(n) != after.get(n)]
            out["changed"] = changed
            out["diffs"] = {n: _diff(texts[before[n]] if n in before else None,
                                     texts[after[n]] if n in after else None, n)
                            for n in changed}
        stages.append(out)
        previous = after
    return {
        "file": ex.file, "source": ex.source, "tier": ex.tier, "pipeline": ex.pipeline,
        "ast": ex.ast, "functions": functions, "stages": stages, "texts": texts,
        "svgs": {str(k): v for k, v in svgs.items()} if svgs is not None else None,
        "graphs": None if svgs is not None else {str(k): v for k, v in ex.graphs.items()},
        "graphNote": graph_note, "maxCfgBlocks": MAX_CFG_BLOCKS, "llvm": ex.llvm, "run": ex.run, "notes": ex.notes,
        "interpreted": ex.interpreted, "phases": ex.phases,
    }


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script>: no '</' can end the element early."""
    return json.dumps(data, separators=(",", ":")).replace("</", "<\\/")


def render_page(data: dict[str, Any]) -> str:
    """The complete HTML document."""
    import re
    from html import escape
    parts = {"TITLE": escape(f"ruchy-opt explore: {data['file']}"),
             "STYLE": _asset("explore.css"),
             "SCRIPT": _asset("explore.js").replace("</script", "<\\/script"),
             "DATA": _script_json(data)}
    # one pass over the template: a value is never searched for placeholders
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)],
                  _asset("template.html"))
