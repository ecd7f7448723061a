from __future__ import annotations

from collections.abc import Callable

import pytest

from rcommerce.runtime import Runtime
from rcommerce.stores import service
from rcommerce.stores.models import Store
from tests.support.dashboard import (
    PASSWORD,
    ManagerLogin,
)
from tests.support.runtime import StoreKeys


@pytest.fixture
def make_manager(runtime: Runtime) -> Callable[[StoreKeys, str], ManagerLogin]:
    def make(keys: StoreKeys, email: str = "quanly@shop.example") -> ManagerLogin:
        with runtime.transaction() as session:
            store = session.get(Store, keys.store_id)
            assert store is not None
            service.create_manager(session=session, store=store, email=email, password=PASSWORD)
        return ManagerLogin(email, PASSWORD, keys)

    return make


@pytest.fixture
def manager(
    store: StoreKeys, make_manager: Callable[[StoreKeys, str], ManagerLogin]
) -> ManagerLogin:
    return make_manager(store, "quanly@shop.example")
