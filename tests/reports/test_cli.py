"""`rcommerce reports ...` and `rcommerce reviews ...`: output and refusals as a user sees them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from rcommerce.cli import main
from rcommerce.customers.models import SEGMENTS
from rcommerce.settings import Settings
from tests.support.runtime import StoreKeys


def _invoke(settings: Settings, *args: str) -> Result:
    env = {
        "RCOMMERCE_DATABASE_URL": settings.database_url,
        "RCOMMERCE_SECRET_KEY": settings.secret_key,
        "RCOMMERCE_DATA_DIR": str(settings.data_dir),
    }
    return CliRunner().invoke(main, list(args), env=env)


def test_reports_rebuild_and_show_print_json(settings: Settings, store: StoreKeys) -> None:
    sid = str(store.store_id)
    rebuilt = _invoke(
        settings, "reports", "rebuild", "--store", sid, "--from", "2026-03-01", "--to", "2026-03-07"
    )
    assert rebuilt.exit_code == 0, rebuilt.output
    assert json.loads(rebuilt.stdout) == {
        "store_id": store.store_id,
        "days": 7,
        "segments": dict.fromkeys(SEGMENTS, 0),
    }
    shown = _invoke(
        settings, "reports", "show", "--store", sid, "--from", "2026-03-01", "--to", "2026-03-07"
    )
    assert shown.exit_code == 0, shown.output
    assert "periods" in json.loads(shown.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["reports", "rebuild", "--from", "2026-03-01", "--to", "2026-03-02"], "No store 999."),
        (["reports", "show", "--from", "2026-03-01", "--to", "2026-03-02"], "No store 999."),
        (["reviews", "export"], "No store 999."),
        (["reviews", "rebuild-aggregates"], "No store 999."),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_an_unknown_store_is_a_clean_error(
    settings: Settings, store: StoreKeys, args: list[str], message: str
) -> None:
    result = _invoke(settings, *args, "--store", "999")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {message}"
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_reports_show_refuses_an_unknown_table(settings: Settings, store: StoreKeys) -> None:
    result = _invoke(
        settings,
        "reports",
        "show",
        "--store",
        str(store.store_id),
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-02",
        "--csv",
        "nonsense",
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: table must be one of periods")


def test_reports_refuse_a_bad_date_as_usage(settings: Settings) -> None:
    result = _invoke(
        settings, "reports", "show", "--store", "1", "--from", "March", "--to", "2026-03-02"
    )
    assert result.exit_code == 2
    assert "use a date such as 2026-01-31" in result.stderr
