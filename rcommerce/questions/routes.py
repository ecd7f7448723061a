"""The HTTP routes of product questions as the app loads them: the store's API (api.py) and the
invitation page (pages.py) at the top level, the widgets' embed API (widgets.py) under /embed/v1."""

from __future__ import annotations

from rcommerce.questions import api, pages, widgets

routes = [*api.routes, *pages.routes]
embed_routes = widgets.routes
