"""The demo shop page: a plain HTML shop that embeds every widget (only under `rcommerce demo`)."""

from __future__ import annotations

import json

from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from rcommerce.errors import NotFound
from rcommerce.orders.models import Product
from rcommerce.stores.models import Store
from rcommerce.templating import render
from rcommerce.web import in_transaction, runtime_of


async def shop(request: Request) -> Response:
    settings = runtime_of(request).settings
    marker = settings.data_dir / "demo.json"
    if not settings.demo or not marker.exists():
        raise NotFound("The demo shop runs only under `rcommerce demo`.")
    store_id = int(json.loads(marker.read_text())["store_id"])

    def load(session: Session) -> tuple[Store, list[Product]]:
        store = session.get(Store, store_id)
        if store is None:
            raise NotFound("The demo store is gone; run `rcommerce demo` again.")
        products = list(session.exec(select(Product).where(Product.store_id == store_id)))
        return store, products

    store, products = await in_transaction(request, load, readonly=True)
    html = render("demo/shop.html", store=store, products=products, base_url=settings.base_url)
    return HTMLResponse(html)


async def shop_redirect(request: Request) -> Response:
    return RedirectResponse("/demo/", status_code=308)


# Pages, not API: kept out of /openapi.json.
from starlette.routing import Route  # noqa: E402

routes = [Route("/demo/", shop, name="demo_shop"), Route("/demo", shop_redirect)]
