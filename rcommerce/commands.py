"""What every ``rcommerce`` command shares: settings from the environment, logging, and a
runtime that lives for one command."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from rcommerce.boot import start_runtime
from rcommerce.errors import ApiError
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings, SettingsError


def load_settings(**overrides: Any) -> Settings:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    return settings.with_overrides(**overrides) if overrides else settings


@contextmanager
def command_runtime() -> Iterator[Runtime]:
    """A runtime for one command: closed at the end, and a refused input (ApiError) becomes a
    clean error message and exit status 1 instead of a traceback."""
    runtime = start_runtime(load_settings())
    try:
        yield runtime
    except ApiError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        runtime.close()


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
