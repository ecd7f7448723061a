"""The documentation stays true: every route of /openapi.json is listed in docs/api.md."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]


def test_docs_api_lists_every_route(client: TestClient) -> None:
    text = (ROOT / "docs" / "api.md").read_text()
    missing = [
        f"{method.upper()} {path}"
        for path, operations in client.get("/openapi.json").json()["paths"].items()
        for method in operations
        if f"| {method.upper()} | `{path}` |" not in text
    ]
    assert not missing, "add these to docs/api.md (## Every route): " + ", ".join(missing)


def test_readme_links_every_guide() -> None:
    readme = (ROOT / "README.md").read_text()
    for guide in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{guide.name}" in readme, f"README.md does not link docs/{guide.name}"
