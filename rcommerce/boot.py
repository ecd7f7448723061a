"""Starting a process's runtime: load every domain, then attach the job dispatcher of the
mode (the in-process runner when no Redis is configured, Celery through Redis otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.engine import Engine

from rcommerce import domains
from rcommerce.mail import Mailer
from rcommerce.runner import InProcessRunner
from rcommerce.runtime import Dispatcher, Runtime
from rcommerce.settings import Settings
from rcommerce.timestamps import utcnow


def start_runtime(
    settings: Settings,
    *,
    engine: Engine | None = None,
    clock: Callable[[], datetime] = utcnow,
    mailer: Mailer | None = None,
    dispatcher: Callable[[Runtime], Dispatcher] | None = None,
) -> Runtime:
    """The runtime of a web process, a command or a test; ``dispatcher`` overrides the mode's."""
    domains.load_all()
    if dispatcher is None:
        if settings.distributed:
            from rcommerce.worker import CeleryDispatcher  # Celery loads only where it is used

            dispatcher = CeleryDispatcher
        else:
            dispatcher = InProcessRunner
    return Runtime(settings, engine=engine, clock=clock, mailer=mailer, dispatcher=dispatcher)
