"""HTTP: the server's home page, health, the OpenAPI document, and the store's own settings."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from rcommerce import __version__, db, jobs
from rcommerce.errors import InvalidInput
from rcommerce.runtime import Runtime
from rcommerce.stores import service
from rcommerce.stores.auth import authenticated
from rcommerce.stores.models import NULLABLE_SETTINGS, Store, StorePublic, StoreUpdate
from rcommerce.templating import render
from rcommerce.web import (
    Doc,
    endpoint,
    in_transaction,
    json_response,
    read_json,
    runtime_of,
)


class SecretKeyOut(BaseModel):
    """The new secret key, shown this once."""

    secret_key: str


class JobsHealth(BaseModel):
    due: int
    oldest_due_seconds: float


class Health(BaseModel):
    """``status`` is ok, degraded (Redis unavailable: the site still serves, without it) or
    unavailable (the database is down: 503)."""

    status: str
    database: str
    redis: str
    mode: str
    jobs: JobsHealth | None = None


def _database_health(runtime: Runtime) -> dict[str, float]:
    db.ping(runtime.engine)
    with runtime.transaction(readonly=True) as session:
        summary = jobs.backlog(
            session, runtime.now(), lease=jobs.lease_of(runtime.settings), detail=False
        )
    return {"due": summary.due, "oldest_due_seconds": round(summary.oldest_due_seconds, 1)}


async def healthz(request: Request) -> Response:
    runtime = runtime_of(request)
    body: dict[str, Any] = {"status": "ok", "database": "ok", "redis": "not configured"}
    try:
        body["jobs"] = await run_in_threadpool(_database_health, runtime)
    except Exception as exc:
        body["database"], body["status"] = f"error: {type(exc).__name__}", "unavailable"
    if runtime.redis is not None:
        try:
            await run_in_threadpool(runtime.redis.ping)
            body["redis"] = "ok"
            runtime.redis_breaker.succeeded()
        except Exception as exc:
            body["redis"] = f"error: {type(exc).__name__}"
            if body["status"] == "ok":
                body["status"] = "degraded"
    body["mode"] = "distributed" if runtime.settings.distributed else "embedded"
    # Only a database outage takes the process out of a load balancer: without Redis the
    # site still answers (caches fall back to the database, clicks are spooled locally).
    return JSONResponse(body, status_code=503 if body["status"] == "unavailable" else 200)


class Home(BaseModel):
    """What this server is and where to go next (an HTML page for a browser)."""

    service: str
    version: str
    openapi: str
    health: str
    dashboard: str


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "application/xhtml" in accept


async def home(request: Request) -> Response:
    settings = runtime_of(request).settings
    base = settings.base_url
    if _wants_html(request):
        page = render("stores/home.html", version=__version__, base_url=base, demo=settings.demo)
        return HTMLResponse(page)
    return json_response(
        Home(
            service="rcommerce",
            version=__version__,
            openapi=f"{base}/openapi.json",
            health=f"{base}/healthz",
            dashboard=f"{base}/dashboard/",
        )
    )


async def openapi_json(request: Request) -> Response:
    return JSONResponse(request.app.state.openapi)


async def get_store(request: Request) -> Response:
    store = await in_transaction(request, lambda s: authenticated(request, s), readonly=True)
    return json_response(StorePublic.of(store))


async def update_store(request: Request) -> Response:
    data = await read_json(request, StoreUpdate)
    changes = data.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None and name not in NULLABLE_SETTINGS:
            raise InvalidInput(
                f"{name}: may not be null", fields=[{"field": name, "message": "may not be null"}]
            )

    def work(session: Session) -> Store:
        store = authenticated(request, session)
        return service.update_store(session=session, store=store, changes=changes)

    store = await in_transaction(request, work)
    return json_response(StorePublic.of(store))


async def rotate_secret(request: Request) -> Response:
    def work(session: Session) -> str:
        return service.rotate_secret_key(session=session, store=authenticated(request, session))

    return json_response(SecretKeyOut(secret_key=await in_transaction(request, work)), 201)


routes = [
    endpoint(
        "/",
        home,
        doc=Doc(
            "What this server is (a small HTML page for a browser, JSON otherwise)",
            tags=["service"],
            responses={200: Home},
        ),
        name="home",
    ),
    endpoint(
        "/healthz",
        healthz,
        doc=Doc(
            "Health of the service and its dependencies",
            tags=["service"],
            responses={200: Health, 503: "The database is down."},
        ),
        name="healthz",
    ),
    endpoint(
        "/openapi.json",
        openapi_json,
        doc=Doc("This document", tags=["service"], responses={200: "The OpenAPI 3.1 document."}),
        name="openapi",
    ),
    endpoint(
        "/api/v1/store",
        get_store,
        doc=Doc(
            "The authenticated store's settings",
            tags=["store"],
            auth="secret",
            responses={200: StorePublic},
        ),
        name="store",
    ),
    endpoint(
        "/api/v1/store",
        update_store,
        methods=["PATCH"],
        doc=Doc(
            "Change the store's settings",
            tags=["store"],
            auth="secret",
            body=StoreUpdate,
            responses={200: StorePublic},
        ),
        name="store_update",
    ),
    endpoint(
        "/api/v1/store/secret-key",
        rotate_secret,
        methods=["POST"],
        doc=Doc(
            "Rotate the secret key (the old key stops working at once)",
            tags=["store"],
            auth="secret",
            responses={201: SecretKeyOut},
        ),
        name="store_rotate_secret",
    ),
]
