"""Property-based: requests generated from /openapi.json never get a 5xx.

Covers every documented route, so it grows with the API. Each operation is fuzzed with valid
(positive) and invalid (negative) generated requests; they carry a real store's keys and an
allowed Origin so that generated bodies reach the handlers, not just the auth check.
"""

from __future__ import annotations

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
EXAMPLES = 25


@pytest.fixture
def property_runtime(sqlite_url: str, tmp_path: Path) -> Iterator[Runtime]:
    runtime = start_runtime(
        Settings(
            database_url=sqlite_url,
            secret_key=TEST_SECRET,
            data_dir=tmp_path,
            base_url="http://testserver",
        ),
        dispatcher=ManualRunner,
    )
    yield runtime
    runtime.close()


@pytest.mark.parametrize(
    "mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"]
)
def test_no_generated_request_gets_a_server_error(
    property_runtime: Runtime, mode: GenerationMode
) -> None:
    with property_runtime.transaction() as session:
        created = service.create_store(session=session, name="Shop", origins=[ORIGIN])
        secret, publishable = created.secret_key, created.store.publishable_key
    app = create_app(property_runtime.settings, runtime=property_runtime)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    failures: list[str] = []
    checked = 0

    for operation in operations:
        overrides: dict[str, Any] = {}
        if any(p.name == "publishable_key" for p in operation.path_parameters):
            overrides["path_parameters"] = {"publishable_key": publishable}

        @given(case=operation.as_strategy(mode, **overrides))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Bearer {secret}", "Origin": ORIGIN})
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:300]} (body={case.body!r:.300})"
                )
            elif response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
                body = response.json()
                assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
            property_runtime.dispatcher.drain()  # type: ignore[attr-defined]

        try:
            check()
        except Unsatisfiable:
            # Nothing about this operation can be invalid (no parameters, no body).
            assert mode == GenerationMode.NEGATIVE
            continue
        checked += 1
    assert checked >= 5
    assert not failures, "\n".join(failures[:20])
