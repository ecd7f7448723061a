"""The report's tables as CSV for spreadsheets (one table per file, formulas neutralised)."""

from __future__ import annotations

import csv
import io
from typing import Any

from rcommerce.errors import InvalidInput
from rcommerce.reports.definitions import PERIOD_COLUMNS, TABLES


def check_table(table: str) -> None:
    if table not in TABLES:
        raise InvalidInput(f"table must be one of {', '.join(TABLES)}.")


def csv_table(report: dict[str, Any], table: str) -> str:
    """One table of the report as CSV (UTF-8, comma separated, header row)."""
    check_table(table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if table == "periods":
        writer.writerow(["start", "end", *PERIOD_COLUMNS])
        for period in report["periods"]:
            writer.writerow(
                [period["start"], period["end"], *(_cell(period[c]) for c in PERIOD_COLUMNS)]
            )
    elif table == "channels":
        writer.writerow(["channel", "clicks", "unique_clicks", "share"])
        for row in report["channels"]:
            writer.writerow(
                [_cell(row[k]) for k in ("channel", "clicks", "unique_clicks", "share")]
            )
    elif table == "top_advocates":
        keys = (
            "advocate_id",
            "name",
            "email",
            "referral_code",
            "referred_orders",
            "referred_revenue",
            "reward_cost",
            "clicks",
            "unique_clicks",
        )
        writer.writerow(keys)
        for row in report["top_advocates"]:
            writer.writerow([_cell(row[k]) for k in keys])
    elif table == "ratings":
        writer.writerow(["rating", "reviews"])
        for rating, count in report["ratings"].items():
            writer.writerow([rating, count])
    elif table == "sentiment":
        writer.writerow(["sentiment", "reviews"])
        for name, count in report["sentiment"].items():
            writer.writerow([name, count])
    else:
        writer.writerow(["polarity", "aspect", "reviews", "example_review_id", "example_quote"])
        for polarity, rows in report["aspects"].items():
            for row in rows:
                first = row["examples"][0] if row["examples"] else {}
                writer.writerow(
                    [
                        polarity,
                        row["aspect"],
                        row["count"],
                        first.get("review_id", ""),
                        _cell(first.get("quote", "")),
                    ]
                )
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    # A spreadsheet must not run a shopper's text as a formula (CSV injection).
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
