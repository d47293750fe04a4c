"""Screenshots of a leader's key pages at a desktop and a phone width, for looking at the layout.

    python scripts/screenshots.py http://127.0.0.1:5000 OUT_DIR [E-MAIL]

Needs a running server with the demo home (`make run`) and Debian's Chromium. For each page it prints whether
the page or any table is wider than its box, and writes OUT_DIR/<page>-<width>.png (the whole page).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

LOGIN = ("afdelingsleder@demo.dk", "demo1234")  # the department leader; another demo login as E-MAIL
PAGES = {
    "dashboard": "/",
    "oktoberoversigt": "/competence/overview",
    "fordeling": "/competence/distribution?aar={year}",
    "retningslinjer": "/guidelines/",
    "aarshjul": "/cycle/",
    "kvalitet": "/quality/",
    "kvalitet-tema": "/quality/by-theme",
    "tilbudsplan": "/competence/tilbudsplan",
    "medarbejdere": "/people/",
}
WIDTHS = (1280, 390)
#: For each table: its width beyond its box, unless the box scrolls (a .table-wrap with overflow-x: auto).
MEASURE = """() => ({
  page: document.documentElement.scrollWidth - window.innerWidth,
  tables: [...document.querySelectorAll('main table')].map(t => {
    const box = t.closest('.table-wrap') || t.parentElement;
    const scrolls = getComputedStyle(box).overflowX === 'auto' || getComputedStyle(box).overflowX === 'scroll';
    return {cls: t.className, over: t.scrollWidth - box.clientWidth, scrolls};
  }),
})"""


def main(base: str, out: Path, email: str = LOGIN[0]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="da-DK")
            page.goto(base + "/auth/login")
            page.locator('input[name="email"]').fill(email)
            page.locator('input[name="password"]').fill(LOGIN[1])
            page.get_by_role("button", name="Log ind").click()
            page.wait_for_load_state()
            year = page.evaluate("new Date().getFullYear()")
            for name, path in PAGES.items():
                page.goto(base + path.format(year=year))
                measured = page.evaluate(MEASURE)
                wide = [t["cls"] or "table" for t in measured["tables"] if t["over"] > 0 and not t["scrolls"]]
                scrolling = [t["cls"] or "table" for t in measured["tables"] if t["over"] > 0 and t["scrolls"]]
                print(f"{name:16} {width:5}px  page wider than window by {max(measured['page'], 0)}px;"
                      f" tables wider than their box: {wide or 'none'}; scrolling in their box: {scrolling or 'none'}")
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]), *sys.argv[3:4])
