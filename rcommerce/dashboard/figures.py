"""The report's figures on the dashboard: each one's name and definition in the page's language,
and its value written as what it is (a count, money, a percentage, a decimal with its unit)."""

from __future__ import annotations

from typing import Any

from rcommerce.dashboard import numbers
from rcommerce.reports.definitions import DEFINITIONS

# Columns of the periods table that the report's definitions do not name.
EXTRA_NAMES: dict[str, tuple[str, str]] = {
    "rating_1": ("1 sao", "1 star"),
    "rating_2": ("2 sao", "2 stars"),
    "rating_3": ("3 sao", "3 stars"),
    "rating_4": ("4 sao", "4 stars"),
    "rating_5": ("5 sao", "5 stars"),
    "unscored": ("Chưa chấm điểm", "Not scored"),
    "replied": ("Đã phản hồi", "Replied"),
}
MONEY = {"revenue", "referred_revenue", "reward_cost"}
RATES = {"roi"}  # besides every *_rate, *_share and *_conversion
DECIMALS = {"k_factor": 2, "invites_per_advocate": 2, "average_rating": 2, "reward_points": 2}


def names(locale: str) -> dict[str, str]:
    index = 1 if locale == "vi" else 0
    found = {name: entry[index] for name, entry in DEFINITIONS.items()}
    for name, (vi, en) in EXTRA_NAMES.items():
        found.setdefault(name, vi if locale == "vi" else en)
    return found


def definitions(locale: str) -> dict[str, str]:
    index = 3 if locale == "vi" else 2
    return {name: entry[index] for name, entry in DEFINITIONS.items()}


def is_rate(name: str) -> bool:
    return name in RATES or name.endswith(("_rate", "_share", "_conversion"))


def write(name: str, value: Any, locale: str, currency: str) -> str:
    """A figure as the manager reads it; "—" where it cannot be computed (nothing to divide)."""
    if value is None:
        return "—"
    if name in MONEY or name.endswith(("_revenue", "_cost")):
        return numbers.money(value, currency, locale)
    if is_rate(name):
        return numbers.percent(value, locale)
    if name == "reply_hours":
        hours = numbers.decimal(value, locale, 1)
        return f"{hours} giờ" if locale == "vi" else f"{hours} h"
    if name in DECIMALS:
        return numbers.decimal(value, locale, DECIMALS[name])
    if isinstance(value, float) and not value.is_integer():
        return numbers.decimal(value, locale, 2)
    return numbers.count(value, locale)
