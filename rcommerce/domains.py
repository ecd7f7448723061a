"""The product's domain packages, and loading their models, routes, tasks, event subscribers
and CLI commands."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

# Order matters for routes only: earlier domains' paths are matched first.
DOMAINS = (
    "stores",
    "orders",
    "phones",
    "advocates",
    "referrals",
    "reviews",
    "questions",
    "data_requests",
    "connectors",
    "sentiment",
    "reports",
    "customers",
    "portal",
    "dashboard",
    "embed",
    "demo",
)


def load(kind: str) -> list[ModuleType]:
    """Import ``rcommerce.<domain>.<kind>`` for every domain that has one."""
    modules = []
    if kind == "models":  # the jobs table is infrastructure, not a domain's
        modules.append(importlib.import_module("rcommerce.jobs"))
    for domain in DOMAINS:
        name = f"rcommerce.{domain}.{kind}"
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # the domain package itself does not exist (yet)
            continue
        if found is not None:
            modules.append(importlib.import_module(name))
    return modules


def load_all() -> None:
    """What a process needs before its first unit of work: every table, every job handler,
    and every subscriber to the orders' events."""
    for kind in ("models", "tasks", "subscribers"):
        load(kind)
