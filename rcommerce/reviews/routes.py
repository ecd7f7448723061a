"""The HTTP routes of reviews and testimonials as the app loads them: the store's API (api.py),
the pages (pages.py), the feed and the Zalo OA's webhook (zalo_events.py) at the top level, the
widgets' embed API (widgets.py) under /embed/v1."""

from __future__ import annotations

from rcommerce.reviews import api, feed, pages, read_replay, widgets, zalo_events

routes = [*api.routes, *pages.routes, *feed.routes, *zalo_events.routes]
embed_routes = widgets.routes
# Answers cached widget reads again before the middleware and the router (read_replay.py).
edge_layers = [read_replay.ReadReplay]
