"""The explore page in a real headless browser (Chromium through selenium): the passes
and the CFG drawings are there, a click on a source line highlights the instructions
from it, previous/next step through the passes. Skipped, with the reason, when no
browser and driver can be had (CI installs neither)."""
from __future__ import annotations

import shutil

import pytest

from ruchy_opt.errors import SourceFile
from ruchy_opt.explore.collect import collect
from ruchy_opt.explore.command import explore_parser
from ruchy_opt.explore.graphs import render_svgs
from ruchy_opt.explore.page import page_data, render_page

from browser import open_browser
from explore_support import PROGRAM

LOOP_LINE = 8      # s = s + square(i)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (the test looks at the drawings)")
    driver, why = open_browser()
    if driver is None:
        pytest.skip(why)
    args = explore_parser().parse_args(["--tier=ir", "--passes=sccp,inline,sccp,dce",
                                        "-o", "unused", "prog.ruchy"])
    ex = collect(SourceFile("prog.ruchy", PROGRAM), args)
    svgs, note = render_svgs(ex.graphs, ex.table.texts)
    path = tmp_path_factory.mktemp("explore") / "page.html"
    path.write_text(render_page(page_data(ex, svgs, note)), encoding="utf-8")
    driver.get(path.as_uri())
    yield driver
    driver.quit()


def _js(d, script: str):
    return d.execute_script(script)


def test_passes_and_drawings_are_shown(page):
    from selenium.webdriver.common.by import By
    assert _js(page, "return document.body.dataset.ready") == "1"
    entries = [e.text for e in page.find_elements(By.CSS_SELECTOR, "#timeline li[data-stage]")]
    assert entries[0] == "SSA after lowering"
    assert any("sccp" in e for e in entries) and any("inline" in e for e in entries)
    # the first stage draws every function's CFG as inline SVG
    assert len(page.find_elements(By.CSS_SELECTOR, "#detail .cfg svg")) >= 3
    assert _js(page, "return document.querySelectorAll('script[src], link[href]').length") == 0


def test_clicking_a_source_line_highlights_its_instructions(page):
    from selenium.webdriver.common.by import By
    page.find_element(By.CSS_SELECTOR, f'.src-line[data-src="{LOOP_LINE}"]').click()
    lit = page.find_elements(By.CSS_SELECTOR, f'#detail [data-l="{LOOP_LINE}"].hl')
    assert lit, "the line's instructions are highlighted"
    assert _js(page, f"return document.querySelectorAll('#detail svg text.hl').length") > 0
    assert not page.find_elements(By.CSS_SELECTOR, f'#detail .hl:not([data-l="{LOOP_LINE}"])')
    assert f"line {LOOP_LINE}:" in page.find_element(By.ID, "line-status").text
    # the highlight follows into the other views
    page.find_element(By.ID, "tab-ir").click()
    assert page.find_elements(By.CSS_SELECTOR, f'#pane-ir [data-l="{LOOP_LINE}"].hl')
    page.find_element(By.ID, "tab-passes").click()


def test_previous_and_next_step_through_the_passes(page):
    from selenium.webdriver.common.by import By
    position = lambda: page.find_element(By.ID, "position").text  # noqa: E731
    start = position()
    assert start.startswith("1/")
    page.find_element(By.ID, "next").click()
    second = position()
    assert second != start and "#1 sccp" in second
    assert page.find_element(By.CSS_SELECTOR, "#timeline li.current").text.endswith("sccp")
    assert page.find_elements(By.CSS_SELECTOR, "#detail pre.code div.add")  # a diff
    page.find_element(By.ID, "next").click()
    assert position() != second
    page.find_element(By.ID, "prev").click()
    assert position() == second
    page.find_element(By.ID, "prev").click()
    assert position() == start
    assert not page.find_element(By.ID, "prev").is_enabled()
