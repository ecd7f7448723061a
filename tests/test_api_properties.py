"""Property-based: requests generated from /openapi.json never get a 5xx.

Covers every documented route, so it grows with the API. Each operation is fuzzed with valid
(positive) generated requests on SQLite and PostgreSQL, and invalid (negative) ones on
PostgreSQL; they carry
a real store's secret key and publishable key, and the store's Origin, so that generated
bodies reach the handlers, not just the auth check. Besides what schemathesis generates, every
example is also sent with NUL bytes in each of its strings, with integers beyond 64 bits and
with null for each body field: what broke PostgreSQL and the services before.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from rcommerce.app import create_app
from rcommerce.boot import start_runtime
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores import service
from tests.support.runtime import TEST_SECRET, ManualRunner

ORIGIN = "https://shop.example"
EXAMPLES = 30
HUGE = 2**64 + 1
EDGES = ("nul bytes", "huge integers", "nulls")
Inputs = tuple[dict[str, Any], Any, Any]

# Slow (about 7,000 generated requests): each run takes minutes on a busy machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


@pytest.fixture
def property_runtime(database_url: str, tmp_path: Path) -> Iterator[Runtime]:
    runtime = start_runtime(
        Settings(
            database_url=database_url,
            secret_key=TEST_SECRET,
            data_dir=tmp_path,
            base_url="http://testserver",
        ),
        dispatcher=ManualRunner,
    )
    yield runtime
    runtime.close()


def _with_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value[:1] + "\x00" + value[1:]
    if isinstance(value, dict):
        return {k: _with_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_nul(v) for v in value]
    return value


def _huge(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return HUGE if value >= 0 else -HUGE
    if isinstance(value, dict):
        return {k: _huge(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_huge(v) for v in value]
    return value


def _edged(edge: str, inputs: Inputs, keep: set[str]) -> Inputs:
    """``inputs`` (path parameters, query, body) with one kind of input that broke the
    service before, wherever it fits."""
    path, query, body = inputs
    if edge == "nul bytes":
        return (
            {k: v if k in keep else _with_nul(v) for k, v in path.items()},
            _with_nul(query),
            _with_nul(body),
        )
    if edge == "huge integers":
        return {k: v if k in keep else _huge(v) for k, v in path.items()}, _huge(query), _huge(body)
    if edge == "nulls" and isinstance(body, dict):
        return path, query, dict.fromkeys(body)
    return inputs


# Invalid requests are refused before any query: SQLite would add time, not coverage.
@pytest.mark.parametrize(
    ("database_url", "mode"),
    [
        ("sqlite", GenerationMode.POSITIVE),
        ("postgres", GenerationMode.POSITIVE),
        ("postgres", GenerationMode.NEGATIVE),
    ],
    ids=["sqlite-valid", "postgres-valid", "postgres-invalid"],
    indirect=["database_url"],
)
def test_no_generated_request_gets_a_server_error(
    property_runtime: Runtime, mode: GenerationMode
) -> None:
    app = create_app(property_runtime.settings, runtime=property_runtime)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    failures: list[str] = []
    checked = 0

    for operation in operations:
        # A store of its own: an operation may rotate the secret key or change the origins.
        with property_runtime.transaction() as session:
            created = service.create_store(session=session, name="Shop", origins=[ORIGIN])
            secret, publishable = created.secret_key, created.store.publishable_key
        overrides: dict[str, Any] = {}
        keep: set[str] = set()
        if any(p.name == "publishable_key" for p in operation.path_parameters):
            overrides["path_parameters"] = {"publishable_key": publishable}
            keep.add("publishable_key")
        headers = {"Authorization": f"Bearer {secret}", "Origin": ORIGIN}
        try:
            _fuzz(operation.as_strategy(mode, **overrides), keep, headers, failures)
        except Unsatisfiable:
            # Nothing about this operation can be invalid (no parameters, no body).
            assert mode == GenerationMode.NEGATIVE
            continue
        finally:
            property_runtime.dispatcher.drain()  # type: ignore[attr-defined]
        checked += 1
    assert checked >= 5
    assert not failures, "\n".join(failures[:40])


def _fuzz(strategy: Any, keep: set[str], headers: dict[str, str], failures: list[str]) -> None:
    """Send EXAMPLES generated requests: in turn as generated and with each of the EDGES
    that changes them; note every 5xx in ``failures`` and check that every JSON error has
    the one error shape."""
    turn = itertools.count()

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: Any) -> None:
        inputs: Inputs = (dict(case.path_parameters or {}), case.query, case.body)
        variants = [("as generated", inputs)]
        for edge in EDGES:
            edged = _edged(edge, inputs, keep)
            if edged != inputs:
                variants.append((edge, edged))
        edge, (case.path_parameters, case.query, case.body) = variants[next(turn) % len(variants)]
        response = case.call(headers=headers)
        if response.status_code >= 500:
            failures.append(
                f"{case.method} {case.formatted_path} ({edge}) -> {response.status_code}: "
                f"{response.text[:200]} (query={case.query!r:.200} body={case.body!r:.300})"
            )
        elif response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
            body = response.json()
            assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body

    check()
