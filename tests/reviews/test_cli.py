"""The command line: `rcommerce sentiment rescore` and `rcommerce reviews --help`."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.cli import main
from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.support.reviews import import_csv, reviews_of
from tests.support.runtime import StoreKeys


def test_sentiment_rescore_cli_fills_missing_scores(
    client: TestClient, runtime: Runtime, shop: StoreKeys, settings: Settings
) -> None:
    import_csv(client, shop, "yotpo", "yotpo.csv")  # scoring jobs queued, not run
    with runtime.transaction(readonly=True) as session:
        assert all(r.scorer_version is None for r in session.exec(select(Review)))
    env = {
        "RCOMMERCE_DATABASE_URL": settings.database_url,
        "RCOMMERCE_SECRET_KEY": settings.secret_key,
        "RCOMMERCE_DATA_DIR": str(settings.data_dir),
    }
    result = CliRunner().invoke(
        main, ["sentiment", "rescore", "--store", str(shop.store_id)], env=env
    )
    assert result.exit_code == 0, result.output
    assert '"reviews": 2' in result.output
    with runtime.transaction(readonly=True) as session:
        assert all(r.scorer_version for r in session.exec(select(Review)))
    summary = reviews_of(client, shop.publishable_key)["summary"]["sentiment"]
    assert summary["unscored"] == 0 and sum(summary.values()) == 2
    assert CliRunner().invoke(main, ["reviews", "--help"]).exit_code == 0
