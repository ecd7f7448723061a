"""Numbers as the manager reads them, in the page's language (Babel's CLDR data): counts with
thousands separators, decimals, rates as percentages, money in the store's currency, and a
figure with its unit ("1,8 lượt", "1.8 clicks")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal, format_percent

Number = int | float | Decimal | str


def _value(value: Number) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def count(value: Number, locale: str) -> str:
    """1234567 -> "1.234.567" (vi), "1,234,567" (en)."""
    return format_decimal(_value(value), format="#,##0", locale=locale)


def decimal(value: Number, locale: str, places: int = 1) -> str:
    """1.75 -> "1,8" (vi), "1.8" (en); no trailing zeros."""
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return format_decimal(_value(value), format=pattern, locale=locale)


def percent(value: Number, locale: str) -> str:
    """0.1234 -> "12,3%" (vi), "12.3%" (en)."""
    return format_percent(_value(value), format="#,##0.#%", locale=locale)


def money(value: Number, currency: str, locale: str) -> str:
    """189000 VND -> "189.000 ₫" (vi), "₫189,000" (en); VND has no minor unit."""
    return format_currency(_value(value), currency, locale=locale, currency_digits=True)


@dataclass(frozen=True)
class Unit:
    """What a chart's values count, in both languages (English singular and plural)."""

    vi: str
    en_one: str
    en_many: str

    def of(self, value: Number, locale: str, places: int = 1) -> str:
        shown = decimal(value, locale, places)
        if locale == "vi":
            return f"{shown} {self.vi}" if self.vi else shown
        word = self.en_one if _value(value) == 1 else self.en_many
        return f"{shown} {word}" if word else shown


CLICKS = Unit("lượt", "click", "clicks")
ORDERS = Unit("đơn", "order", "orders")
REVIEWS = Unit("đánh giá", "review", "reviews")
STARS = Unit("sao", "star", "stars")
PLAIN = Unit("", "", "")
