"""``rcommerce demo`` on a machine with no PostgreSQL and no Redis configured."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

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
