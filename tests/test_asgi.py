"""The server entry point: the app, with the startup heap left out of the cycle collector."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_asgi_module_builds_the_app_and_freezes_the_startup_heap(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "RCOMMERCE_DATA_DIR": str(tmp_path),
        "RCOMMERCE_DATABASE_URL": f"sqlite:///{tmp_path / 'rcommerce.db'}",
        "RCOMMERCE_SECRET_KEY": "s" * 48,
    }
    env.pop("RCOMMERCE_REDIS_URL", None)
    script = (
        "import gc\n"
        "before = gc.get_freeze_count()\n"
        "from rcommerce.asgi import app\n"
        "from starlette.applications import Starlette\n"
        "import sys\n"
        "print(before, gc.get_freeze_count(), type(app).__name__, isinstance(app, Starlette),"
        " sys.getswitchinterval())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0] == "0"
    assert int(out[1]) > 10_000  # modules, classes and metadata: no longer walked by the GC
    assert out[2:4] == ["App", "True"]  # Starlette, answering its hot routes first
    assert float(out[4]) == 0.0005  # the GIL changes hands every half millisecond
