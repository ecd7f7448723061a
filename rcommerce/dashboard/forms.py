"""Dashboard forms checked by the same models as the API, with every error translated into the
manager's language and tied to its field, so the page shows it next to that field.

Pydantic's messages ("Input should be greater than or equal to 0") are for developers; here
each error type has a sentence of its own, with its limits written as numbers in the page's
language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from rcommerce.dashboard import numbers

M = TypeVar("M", bound=BaseModel)

# error type -> (vi, en); {ge}, {le}, ... are the constraint's limits.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("Hãy điền ô này.", "Fill in this field."),
    "string_too_short": ("Hãy điền ô này.", "Fill in this field."),
    "string_too_long": ("Tối đa {max_length} ký tự.", "At most {max_length} characters."),
    "too_long": ("Tối đa {max_length} mục.", "At most {max_length} entries."),
    "greater_than_equal": ("Phải từ {ge} trở lên.", "Must be {ge} or more."),
    "greater_than": ("Phải lớn hơn {gt}.", "Must be more than {gt}."),
    "less_than_equal": ("Tối đa là {le}.", "Must be {le} or less."),
    "less_than": ("Phải nhỏ hơn {lt}.", "Must be less than {lt}."),
    "int_parsing": ("Hãy nhập một số nguyên, ví dụ 30.", "Enter a whole number, such as 30."),
    "int_from_float": ("Hãy nhập một số nguyên, ví dụ 30.", "Enter a whole number, such as 30."),
    "int_type": ("Hãy nhập một số nguyên, ví dụ 30.", "Enter a whole number, such as 30."),
    "decimal_parsing": ("Hãy nhập một số, ví dụ 50000.", "Enter a number, such as 50000."),
    "decimal_type": ("Hãy nhập một số, ví dụ 50000.", "Enter a number, such as 50000."),
    "decimal_max_places": (
        "Tối đa {decimal_places} chữ số sau dấu thập phân.",
        "At most {decimal_places} digits after the decimal point.",
    ),
    "decimal_max_digits": ("Số này quá lớn.", "This number is too large."),
    "decimal_whole_digits": ("Số này quá lớn.", "This number is too large."),
    "literal_error": ("Hãy chọn một mục trong danh sách.", "Choose one of the options."),
    "bool_parsing": ("Hãy chọn có hoặc không.", "Choose yes or no."),
    "string_pattern_mismatch": ("Giá trị này không hợp lệ.", "This value is not valid."),
    "datetime_parsing": ("Hãy nhập một ngày giờ hợp lệ.", "Enter a valid date and time."),
}
GENERIC = ("Giá trị này không hợp lệ.", "This value is not valid.")
NOT_NEGATIVE = ("Không được là số âm.", "Cannot be negative.")
URL = (
    "Hãy nhập một địa chỉ bắt đầu bằng https://",
    "Enter an address that starts with https://",
)
# Fields whose pattern means one thing only.
PATTERN_MESSAGES: dict[str, tuple[str, str]] = {"landing_url": URL, "webhook_url": URL}


class FormInvalid(Exception):
    """Some fields are wrong: ``errors`` maps each field to its translated message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


def _limit(value: Any, locale: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return numbers.decimal(value, locale, 2)
    try:
        return numbers.decimal(str(value), locale, 2)
    except (ArithmeticError, ValueError):
        return str(value)


def message(locale: str, kind: str, field: str, context: Mapping[str, Any] | None) -> str:
    """One error in words: what is wrong with ``field``, in ``locale``."""
    index = 0 if locale == "vi" else 1
    limits = {name: _limit(value, locale) for name, value in (context or {}).items()}
    if kind == "greater_than_equal" and str((context or {}).get("ge")) == "0":
        return NOT_NEGATIVE[index]
    if kind == "string_pattern_mismatch" and field in PATTERN_MESSAGES:
        return PATTERN_MESSAGES[field][index]
    template = MESSAGES.get(kind, GENERIC)[index]
    try:
        return template.format(**limits)
    except (KeyError, IndexError):
        return GENERIC[index]


def translate(exc: ValidationError, locale: str) -> dict[str, str]:
    """Each failing field's first error, translated; errors of the whole form under "form"."""
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        location = [part for part in error["loc"] if isinstance(part, str)]
        field = location[0] if location else "form"
        errors.setdefault(field, message(locale, error["type"], field, error.get("ctx")))
    return errors


def check(model: type[M], raw: Mapping[str, Any], locale: str) -> M:
    """``raw`` checked by ``model``, or FormInvalid with translated per-field errors."""
    try:
        return model.model_validate(dict(raw))
    except ValidationError as exc:
        raise FormInvalid(translate(exc, locale)) from None
