"""Jinja2 environment shared by server-rendered pages; autoescaping is always on."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

_PACKAGE = Path(__file__).parent


@cache
def environment() -> Environment:
    folders = [str(path) for path in sorted(_PACKAGE.glob("*/templates"))]
    env = Environment(
        loader=FileSystemLoader(folders),
        # Plain-text parts (e-mails' .txt) are text, not HTML: escaping them would show "&#34;".
        autoescape=select_autoescape(
            disabled_extensions=("txt",), default=True, default_for_string=True
        ),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["vnd"] = format_money
    return env


def format_money(amount: object, currency: str = "VND") -> str:
    """189000 -> '189.000 ₫' (Vietnamese grouping); other currencies as 1,234.50 USD."""
    try:
        value = float(str(amount))
    except ValueError:
        return str(amount)
    if currency == "VND":
        return f"{value:,.0f}".replace(",", ".") + " ₫"
    return f"{value:,.2f} {currency}"


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
