"""papers/make_tables.py: tables computed from bench results, never typed by hand."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_tables", ROOT / "papers" / "make_tables.py")
mt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mt)

ROWS = [
    {"name": "a", "size": 10, "runs": 3,
     "median": {"gcc -O3": 0.5, "tier 2": 1.0, "gcc -O3 (small)": 0.01, "tier 0 (small)": 0.5}},
    {"name": "b", "size": 20, "runs": 3, "median": {"gcc -O3": 1.0, "tier 2": 8.0}},
]


def test_ratios_use_the_reference_of_the_same_size():
    assert mt.ratio(ROWS[0], "tier 2") == 2.0
    assert mt.ratio(ROWS[0], "tier 0 (small)") == 50.0
    assert mt.ratio(ROWS[1], "tier 0 (small)") is None


def test_table_has_every_row_and_the_geometric_mean():
    text = mt.tables(ROWS)
    assert "| a | 10 | 0.50 | 2.00x (1.00 s) | 50.00x (0.50 s) |" in text
    assert "| b | 20 | 1.00 | 8.00x (8.00 s) | – |" in text
    assert "**4.00x**" in text  # sqrt(2 * 8)
    assert "**50.00x**" in text


def test_the_shipped_results_load():
    rows = mt.load()
    assert rows and all("name" in r for r in rows)
