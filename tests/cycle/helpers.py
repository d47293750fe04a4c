"""Reading the year view: each duty is one <li class="duty STATUS">."""

import re

DUTY = re.compile(r'<li class="duty (\w+)">(.*?)</li>', re.S)


def duties(html: str, title: str) -> list[tuple[str, str]]:
    """(status, inner html) of every duty whose text contains `title`."""
    return [(status, body) for status, body in DUTY.findall(html) if title in body]


def month_section(html: str, month: int) -> str:
    match = re.search(rf'<section class="month[^"]*" aria-labelledby="m{month}">(.*?)</section>', html, re.S)
    assert match, f"month {month} missing"
    return match.group(1)
