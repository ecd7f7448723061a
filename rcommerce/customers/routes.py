"""HTTP for customer segments, as the app loads it (the store's API: api.py)."""

from __future__ import annotations

from rcommerce.customers import api

routes = [*api.routes]
