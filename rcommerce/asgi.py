"""ASGI entry point for uvicorn and other servers: ``rcommerce.asgi:app``."""

from rcommerce.app import create_app, ready_to_serve
from rcommerce.settings import Settings

app = create_app(Settings.from_env())
ready_to_serve()
