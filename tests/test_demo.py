"""``rcommerce demo`` on a machine with no PostgreSQL and no Redis configured."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from rcommerce import db
from rcommerce.boot import start_runtime
from rcommerce.demo.seed import SeededDemo, seed_demo, settle
from rcommerce.reports import report
from rcommerce.reports.tasks import local_today
from rcommerce.settings import Settings
from rcommerce.stores import service as store_service
from rcommerce.stores.models import Store
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[1]


def test_demo_serves_health_and_the_shop_within_60_seconds(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RCOMMERCE_")}
    env["RCOMMERCE_DATA_DIR"] = str(tmp_path)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "rcommerce", "demo", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        health = None
        while time.monotonic() - started < 60:
            try:
                health = httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert health is not None, "the demo did not answer within 60 s"
        assert health.status_code == 200
        assert health.json()["mode"] == "embedded"
        shop = httpx.get(f"{base}/demo/", timeout=10)
        assert time.monotonic() - started < 60
        assert shop.status_code == 200
        assert "Cửa hàng Demo" in shop.text
        assert "/embed/v1/embed.js" in shop.text
        assert 'data-key="pk_live_' in shop.text
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
    for line in (
        "Demo shop:",
        "Dashboard:",
        "Manager login:",
        "Publishable key: pk_live_",
        "Secret key:      sk_live_",
    ):
        assert line in output, output[-3000:]
    assert (tmp_path / "rcommerce.db").exists()


def _demo_settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'rcommerce.db'}",
        secret_key="demo-secret-" + "x" * 32,
        data_dir=tmp_path,
        base_url="http://127.0.0.1:8999",
        demo=True,
    )


def _seed(settings: Settings) -> SeededDemo:
    db.migrate(settings)
    runtime = start_runtime(settings)
    try:
        seeded = seed_demo(runtime)
        settle(runtime)
        return seeded
    finally:
        runtime.close()


def test_a_restarted_demo_keeps_its_secret_key_and_manager_password(tmp_path: Path) -> None:
    settings = _demo_settings(tmp_path)
    first = _seed(settings)
    saved = tmp_path / "demo.json"
    assert saved.stat().st_mode & 0o777 == 0o600  # the owner's only
    again = _seed(settings)
    assert (again.secret_key, again.manager_password) == (first.secret_key, first.manager_password)
    assert again.reset == [] and "kept from the last run" in again.banner()
    runtime = start_runtime(settings)
    try:
        with runtime.transaction() as session:
            store = store_service.store_for_secret_key(session, again.secret_key)
            assert store.id == first.store_id
            store_service.authenticate_manager(
                session=session, email=again.manager_email, password=again.manager_password
            )
    finally:
        runtime.close()
    # Without the saved file there is no way to show the old ones: new ones, said clearly.
    saved.unlink()
    reset = _seed(settings)
    assert reset.secret_key != first.secret_key
    assert reset.manager_password != first.manager_password
    assert reset.reset == ["secret key", "manager password"]
    assert reset.banner().count("NEW: reset by this run") == 2


def test_the_demo_report_shows_the_seeded_reviews_scored_in_every_view(tmp_path: Path) -> None:
    settings = _demo_settings(tmp_path)
    seeded = _seed(settings)
    runtime = start_runtime(settings)
    runtime.dispatcher.start()  # as the server does: its periodic roll-ups run first
    try:
        runtime.dispatcher.drain()  # type: ignore[attr-defined]

        def view(days: int, **kw: Any) -> dict[str, Any]:
            with runtime.transaction() as session:
                store = session.get(Store, seeded.store_id)
                assert store is not None
                today = local_today(store, runtime.now())
                return report.word_of_mouth(
                    session=session,
                    settings=settings,
                    store=store,
                    first=today - timedelta(days=days - 1),
                    last=today,
                    now=runtime.now(),
                    **kw,
                )

        month, year = view(30), view(365)
        assert month["totals"]["reviews"] > 0 and month["totals"]["unscored"] == 0
        assert month["aspects"]["praised"] and month["aspects"]["complained"]
        assert year["aspects"]["praised"] and year["aspects"]["complained"]
        # The stored roll-ups say what the reviews say, and the two views agree on the days
        # they share.
        assert month["totals"] == view(30, from_raw=True)["totals"]
        assert year["totals"] == view(365, from_raw=True)["totals"]
        shared = {p["start"]: p for p in year["periods"] if p["start"] >= month["from"]}
        assert shared == {p["start"]: p for p in month["periods"]}
    finally:
        runtime.close()
