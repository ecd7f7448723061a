"""HTTP for referrals, as the app loads it: the redirect and QR codes (redirect.py), the
store's API (api.py, advocates_api.py) and the widgets' endpoints (widgets.py, advocates_api.py,
leaderboard_api.py, widget_points.py)."""

from __future__ import annotations

from rcommerce.referrals import (
    advocates_api,
    api,
    bots,
    catalogue_api,
    incentives_api,
    leaderboard_api,
    redirect,
    tiers_api,
    widget_points,
    widgets,
)

hot_routes = redirect.hot_routes
routes = [
    *advocates_api.routes,
    *redirect.routes,
    *api.routes,
    *incentives_api.routes,
    *catalogue_api.routes,
    *tiers_api.routes,
]
embed_routes = [
    *advocates_api.embed_routes,
    *widgets.embed_routes,
    *leaderboard_api.embed_routes,
    *widget_points.embed_routes,
]
warm_ups = [bots.crawler_lists]
