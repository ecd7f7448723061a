"""The ``rcommerce`` command, run as a user runs it (a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(
    *args: str, env: dict[str, str] | None = None, data_dir: Path
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RCOMMERCE_")}
    environment["RCOMMERCE_DATA_DIR"] = str(data_dir)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "rcommerce", *args],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_stores_create_prints_the_design_json(tmp_path: Path) -> None:
    assert run("migrate", data_dir=tmp_path).returncode == 0
    result = run(
        "stores", "create", "--name", "X", "--origin", "https://shop.example", data_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    assert set(created) == {"store_id", "secret_key", "publishable_key"}
    assert created["secret_key"].startswith("sk_live_")
    assert created["publishable_key"].startswith("pk_live_")
    listed = run("stores", "list", data_dir=tmp_path)
    assert created["secret_key"] not in listed.stdout
    assert json.loads(listed.stdout.splitlines()[0])["allowed_origins"] == ["https://shop.example"]


def test_stores_create_refuses_a_bad_origin(tmp_path: Path) -> None:
    run("migrate", data_dir=tmp_path)
    result = run(
        "stores", "create", "--name", "X", "--origin", "shop.example/path", data_dir=tmp_path
    )
    assert result.returncode != 0
    assert "origin" in result.stderr.lower()


def test_managers_create_and_duplicate(tmp_path: Path) -> None:
    run("migrate", data_dir=tmp_path)
    store = json.loads(
        run(
            "stores", "create", "--name", "X", "--origin", "https://a.example", data_dir=tmp_path
        ).stdout
    )
    args = (
        "managers",
        "create",
        "--store",
        str(store["store_id"]),
        "--email",
        "Boss@Shop.example",
        "--password",
        "correct horse battery",
    )
    first = run(*args, data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["email"] == "boss@shop.example"
    again = run(*args, data_dir=tmp_path)
    assert again.returncode != 0 and "already exists" in again.stderr


def test_distributed_settings_without_a_secret_key_are_refused(tmp_path: Path) -> None:
    result = run(
        "migrate", env={"RCOMMERCE_REDIS_URL": "redis://127.0.0.1:6379/0"}, data_dir=tmp_path
    )
    assert result.returncode != 0
    assert "RCOMMERCE_SECRET_KEY is required" in result.stderr


def command_paths() -> list[list[str]]:
    import click

    from rcommerce.cli import main

    paths: list[list[str]] = [[]]

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            paths.append([*prefix, name])
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(main, [])
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "rcommerce")
def test_every_command_has_help(path: list[str]) -> None:
    from click.testing import CliRunner

    from rcommerce.cli import main

    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    summary = result.output.split("\n\n")[1].strip()
    assert len(summary) > 10, f"'{' '.join(path)}' has no help text"


def test_jobs_status_reports_the_backlog_and_fails_a_monitoring_check(tmp_path: Path) -> None:
    from datetime import timedelta

    import tests.support.tasks  # noqa: F401  (registers tests.rename_store)
    from rcommerce.boot import start_runtime
    from rcommerce.jobs import enqueue
    from rcommerce.runtime import Unattached
    from rcommerce.settings import Settings
    from rcommerce.stores import service

    assert run("migrate", data_dir=tmp_path).returncode == 0
    quiet = run("jobs", "status", "--max-wait", "60", data_dir=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert json.loads(quiet.stdout)["due"] == 0
    settings = Settings.from_env({"RCOMMERCE_DATA_DIR": str(tmp_path)})
    runtime = start_runtime(settings, dispatcher=lambda rt: Unattached())
    try:
        with runtime.transaction() as session:
            store = service.create_store(session=session, name="Shop", origins=[]).store
            run_at = runtime.now() - timedelta(minutes=10)  # due ten minutes ago, still queued
            enqueue(
                session, "tests.rename_store", {"store_id": store.id, "suffix": "!"}, run_at=run_at
            )
    finally:
        runtime.close()
    late = run("jobs", "status", "--max-wait", "60", data_dir=tmp_path)
    assert late.returncode == 1
    status = json.loads(late.stdout)
    assert status["due"] == 1 and status["oldest_due_seconds"] >= 600
    assert set(status) >= {"running", "abandoned", "retrying", "failed_last_day", "failing_by_name"}
