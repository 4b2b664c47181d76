"""A headless Chromium driven by selenium, for the explore page's browser test and for
the screenshot in docs/explore.png::

    python tests/explore/browser.py PAGE.html OUT.png [--line N] [--next K]

``open_browser`` returns (None, why) when no browser can be had, so that the test is
skipped with that reason.
"""
from __future__ import annotations

import os
import shutil
import sys
from typing import Any, Optional

#: Debian's package names first (apt-get install chromium chromium-driver).
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVERS = ("chromedriver",)


def open_browser(width: int = 1500, height: int = 950) -> tuple[Optional[Any], str]:
    """A headless Chrome/Chromium WebDriver, or (None, the reason there is none)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None, "selenium is not installed (pip install -e '.[test]')"
    browser = next((p for p in map(shutil.which, BROWSERS) if p), None)
    driver = next((p for p in map(shutil.which, DRIVERS) if p), None)
    if browser is None or driver is None:
        return None, ("no Chromium and chromedriver on PATH (Debian: apt-get install "
                      "chromium chromium-driver)")
    opts = Options()
    opts.binary_location = browser
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              f"--window-size={width},{height}"):
        opts.add_argument(a)
    try:
        return webdriver.Chrome(service=Service(driver), options=opts), ""
    except Exception as e:  # noqa: BLE001 - any failure to start means no browser here
        return None, f"the browser did not start: {str(e).splitlines()[0]}"


def main(argv: list[str]) -> int:
    import argparse
    from selenium.webdriver.common.by import By
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("page")
    p.add_argument("png")
    p.add_argument("--line", type=int, help="click this source line")
    p.add_argument("--next", type=int, default=0, help="press next this many times")
    p.add_argument("--function", help="pick this function")
    p.add_argument("--height", type=int, default=1300, help="window height in pixels")
    a = p.parse_args(argv)
    d, why = open_browser(height=a.height)
    if d is None:
        print(why, file=sys.stderr)
        return 1
    try:
        d.get("file://" + os.path.abspath(a.page))
        if a.function:
            from selenium.webdriver.support.ui import Select
            Select(d.find_element(By.ID, "function")).select_by_value(a.function)
        for _ in range(a.next):
            d.find_element(By.ID, "next").click()
        if a.line:
            d.find_element(By.CSS_SELECTOR, f'.src-line[data-src="{a.line}"]').click()
        d.save_screenshot(a.png)
    finally:
        d.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
