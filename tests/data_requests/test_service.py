"""A person's erasure across the packages is one unit of work: when it fails, nothing of it
stays, not even the parts that went well."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from rcommerce.data_requests import service
from rcommerce.identity import Person
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.data_requests.conftest import BOTH, EMAIL, PHONE
from tests.support.runtime import StoreKeys


@pytest.mark.usefixtures("lan")
def test_an_erasure_that_fails_leaves_everything_as_it_was(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    before = client.post("/api/v1/privacy/export", headers=store.auth, json=BOTH).json()
    assert [len(before[s]) for s in ("orders", "advocates", "reviews", "questions")] == [1, 1, 1, 1]
    with pytest.raises(RuntimeError), runtime.transaction() as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        counts = service.erase(
            session=session,
            settings=runtime.settings,
            store=shop,
            person=Person(email=EMAIL, phone=PHONE),
            now=runtime.now(),
        )
        assert counts["orders"] == counts["reviews"] == counts["questions"] == 1
        raise RuntimeError("the transaction fails after every part erased")
    after = client.post("/api/v1/privacy/export", headers=store.auth, json=BOTH).json()
    assert after == before
