"""What the stores package tells the rest of the product, through ``rcommerce.events``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from rcommerce.stores.models import Store


@dataclass
class WebhookURLRemoved:
    """The store cleared its webhook URL: nothing waiting to be sent to it may go out."""

    session: Session
    store: Store
