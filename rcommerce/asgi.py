"""ASGI entry point for uvicorn and other servers: ``rcommerce.asgi:app``."""

from rcommerce.app import create_app, freeze_startup_objects, shorten_thread_switches
from rcommerce.settings import Settings

app = create_app(Settings.from_env())
freeze_startup_objects()
shorten_thread_switches()
