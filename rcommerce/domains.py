"""The product's domain packages, and loading their models, routes, tasks and CLI commands."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

# Order matters for routes only: earlier domains' paths are matched first.
DOMAINS = (
    "stores",
    "advocates",
    "referrals",
    "reviews",
    "sentiment",
    "reports",
    "dashboard",
    "embed",
    "demo",
)


def load(kind: str) -> list[ModuleType]:
    """Import ``rcommerce.<domain>.<kind>`` for every domain that has one."""
    modules = []
    if kind == "models":  # the shared tables live at the top of the package
        modules += [
            importlib.import_module("rcommerce.models"),
            importlib.import_module("rcommerce.jobs"),
        ]
    for domain in DOMAINS:
        name = f"rcommerce.{domain}.{kind}"
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # the domain package itself does not exist (yet)
            continue
        if found is not None:
            modules.append(importlib.import_module(name))
    return modules
