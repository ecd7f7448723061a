"""The widget script's delivery (gzip, ETag, cache headers, size) and the embed endpoints."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from rcommerce.embed.routes import (
    SCRIPT_PATH,
    STRINGS_PATH,
    build_bundle,
    bundle,
    minify,
    script_asset,
)
from rcommerce.web import content_etag
from tests.support.runtime import StoreKeys

SHOP = "https://shop.example"
CORE_GZIP_BYTES = 10 * 1024
MODULE_GZIP_BYTES = 4 * 1024


def test_script_is_served_gzipped_with_etag_and_cache_headers(client: TestClient) -> None:
    response = client.get("/embed/v1/embed.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["content-encoding"] == "gzip"
    assert "max-age=300" in response.headers["cache-control"]
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "customElements.define" in response.text
    version = response.headers["x-rc-version"]
    assert f"'{version}'" in response.text
    etag = response.headers["etag"]
    again = client.get(
        "/embed/v1/embed.js", headers={"Accept-Encoding": "gzip", "If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag


def test_script_without_gzip_and_pinned_version(client: TestClient) -> None:
    plain = client.get("/embed/v1/embed.js", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert "content-encoding" not in plain.headers
    assert plain.content == script_asset().plain
    version = plain.headers["x-rc-version"]
    pinned = client.get(f"/embed/v1/embed.js?v={version}")
    assert pinned.headers["cache-control"] == "public, max-age=31536000, immutable"
    stale = client.get("/embed/v1/embed.js?v=0000")
    assert "immutable" not in stale.headers["cache-control"]


def test_core_and_each_module_stay_within_their_size_budgets() -> None:
    built = bundle()
    asset = built.core
    assert len(gzip.decompress(asset.gzipped)) == len(asset.plain)
    assert len(asset.gzipped) <= CORE_GZIP_BYTES, f"core: {len(asset.gzipped)} bytes gzipped"
    assert len(asset.plain) < len(SCRIPT_PATH.read_bytes())
    assert built.modules, "embeds/modules/ has no module"
    for name, module in built.modules.items():
        size = len(module.asset.gzipped)
        assert size <= MODULE_GZIP_BYTES, f"{name}: {size} bytes gzipped"


def test_modules_are_listed_by_the_core_and_served_at_content_hashed_urls(
    client: TestClient,
) -> None:
    built = bundle()
    module = built.modules["testimonials"]
    assert module.elements == {"rc-testimonials": "12rem"}
    assert module.file == f"testimonials.{module.asset.version}.js"
    core = client.get("/embed/v1/embed.js").text
    assert f'"rc-testimonials":["{module.file}","12rem"]' in core
    assert "customElements.define" in core and "What customers say" not in core
    response = client.get(f"/embed/v1/m/{module.file}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "export default" in response.text and "rc-testimonials" in response.text
    again = client.get(
        f"/embed/v1/m/{module.file}",
        headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["etag"]},
    )
    assert again.status_code == 304
    # A core cached from before a release asks for the module's older name.
    stale = client.get("/embed/v1/m/testimonials.0000000000000000.js")
    assert stale.status_code == 200 and "immutable" not in stale.headers["cache-control"]
    assert client.get("/embed/v1/m/nothing.0000.js").status_code == 404


def test_the_core_version_follows_its_modules(tmp_path: Path) -> None:
    core = tmp_path / "embed.js"
    core.write_text("const V = '__RC_VERSION__', M = __RC_MODULES__;\n")
    module = tmp_path / "thing.js"
    module.write_text("// @element rc-thing 3rem\n// @element rc-other\nexport default 1;\n")
    first = build_bundle(core, [module])
    assert 'M={"rc-other":["thing.' in first.core.plain.decode()
    assert '"rc-thing":["thing.' in first.core.plain.decode()
    assert first.modules["thing"].elements == {"rc-thing": "3rem", "rc-other": ""}
    module.write_text("// @element rc-thing 3rem\n// @element rc-other\nexport default 2;\n")
    second = build_bundle(core, [module])
    assert second.core.version != first.core.version
    assert second.modules["thing"].file != first.modules["thing"].file
    module.write_text("export default 3;\n")
    with pytest.raises(ValueError, match="names no element"):
        build_bundle(core, [module])


def test_widget_strings_have_the_same_keys_and_arguments_in_every_language() -> None:
    strings = json.loads(STRINGS_PATH.read_text())
    assert set(strings) == {"vi", "en"}
    assert set(strings["vi"]) == set(strings["en"])

    def arguments(value: str | list[str]) -> set[str]:
        forms = value if isinstance(value, list) else [value]
        assert all(isinstance(form, str) for form in forms) and len(forms) in (1, 2)
        return {arg for form in forms for arg in re.findall(r"\{\d\}", form)}

    for key in strings["en"]:
        assert arguments(strings["en"][key]) == arguments(strings["vi"][key]), key


def test_script_never_parses_data_as_html() -> None:
    source = SCRIPT_PATH.read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source


TRICKY = r"""
// a comment line
const a = 'it // is not a comment', b = "say \"hi\" /* nor this */";
const re = /\/embed\.js([?#].*)?$/g, cls = /[/]+/;
let x = 4, y = 2;
const q = x / y / 2; /* block
comment */
const t = `one ${a.length + `nested ${x > 1 ? '}' : '{'}`} two
    three   spaced`;
const neg = x - -y, pos = x + +y;
function f(n) {
  return n
}
function g(n) {
  return
    n + 1
}
const obj = { k: 1 }
let z = obj.k
++z
console.log(JSON.stringify([a, b, re.source, cls.source, q, t, neg, pos, f(7), g(1), obj.k, z, typeof /x/]));
"""


def test_minify_keeps_strings_regexes_templates_and_semantics(tmp_path: object) -> None:
    small = minify(TRICKY)
    assert "comment" not in small.replace("not a comment", "").replace("/* nor this */", "")
    assert "'it // is not a comment'" in small and "x- -y" in small and "x+ +y" in small
    assert "return\nn+1" in small  # a line break that ends a statement is kept
    assert "obj.k\n++z" in small
    assert ";\n" not in small[:-1] and "{\n" not in small  # the ones that cannot are dropped
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; the minified output is checked by the browser tests")

    def run(code: str) -> str:
        return subprocess.run([node, "-e", code], capture_output=True, text=True, check=True).stdout

    assert run(small) == run(TRICKY)
    assert (
        subprocess.run([node, "--check", "-"], input=script_asset().plain, check=False).returncode
        == 0
    )


def test_config_answers_allowed_origins_only(
    client: TestClient, make_store: Callable[..., StoreKeys]
) -> None:
    store = make_store(name="Cửa hàng A", origins=(SHOP,), locale="en")
    path = f"/embed/v1/{store.publishable_key}/config"
    response = client.get(path, headers={"Origin": SHOP})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SHOP
    body = response.json()
    assert body["name"] == "Cửa hàng A" and body["locale"] == "en" and body["currency"] == "VND"
    assert body["strings"]["en"]["rated"] == "Rated {0} out of 5"
    assert body["strings"]["vi"]["nReviews"] == "{0} đánh giá"
    cached = client.get(path, headers={"Origin": SHOP, "If-None-Match": response.headers["etag"]})
    assert cached.status_code == 304
    other = client.get(path, headers={"Origin": "https://evil.example"})
    assert other.status_code == 403
    assert "name" not in other.text and "access-control-allow-origin" not in other.headers
    assert client.get("/embed/v1/pk_live_nope/config", headers={"Origin": SHOP}).status_code == 404


def test_config_etag_names_its_body_and_follows_a_change(
    client: TestClient, store: StoreKeys
) -> None:
    path = f"/embed/v1/{store.publishable_key}/config"
    first = client.get(path, headers={"Origin": SHOP})
    etag = first.headers["etag"]
    assert etag == content_etag(first.content)
    cached = client.get(path, headers={"Origin": SHOP, "If-None-Match": f'"x", W/{etag}'})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["etag"] == etag
    assert cached.headers["cache-control"] == first.headers["cache-control"]
    renamed = client.patch("/api/v1/store", headers=store.auth, json={"name": "Renamed"})
    assert renamed.status_code == 200, renamed.text
    fresh = client.get(path, headers={"Origin": SHOP, "If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.json()["name"] == "Renamed"
    assert fresh.headers["etag"] == content_etag(fresh.content) != etag


def test_one_stores_key_reads_only_its_own_settings(
    client: TestClient, make_store: Callable[..., StoreKeys]
) -> None:
    first = make_store(name="First", origins=("https://first.example",))
    make_store(name="Second", origins=("https://second.example",))
    mine = client.get(
        f"/embed/v1/{first.publishable_key}/config", headers={"Origin": "https://first.example"}
    )
    assert mine.json()["name"] == "First"
    crossed = client.get(
        f"/embed/v1/{first.publishable_key}/config", headers={"Origin": "https://second.example"}
    )
    assert crossed.status_code == 403


def test_a_public_widget_read_is_gzipped_once_and_served_alike(
    client: TestClient, store: StoreKeys
) -> None:
    put = client.put("/api/v1/products/ao", headers=store.auth, json={"name": "Áo thun"})
    assert put.status_code == 200, put.text
    rows = ["product_id,rating,body,name,email,status"] + [
        f"ao,5,Áo mặc rất mát và giao hàng nhanh; đánh giá số {n} của khách quen,Khách {n},"
        f"k{n}@example.com,published"
        for n in range(8)
    ]
    imported = client.post(
        "/api/v1/reviews/import",
        headers={**store.auth, "Content-Type": "text/csv"},
        content="\n".join(rows).encode(),
    )
    assert imported.json()["imported"] == 8, imported.text
    path = f"/embed/v1/{store.publishable_key}/products/ao/reviews"
    plain = client.get(path, headers={"Origin": SHOP, "Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    assert len(plain.content) > 800
    answers = [client.get(path, headers={"Origin": SHOP, "Accept-Encoding": "gzip"}) for _ in "ab"]
    for answer in answers:
        assert answer.headers["content-encoding"] == "gzip"
        assert {v.strip() for v in answer.headers["vary"].split(",")} == {
            "Accept-Encoding",
            "Origin",
        }
        assert answer.headers["etag"] == plain.headers["etag"]
        assert answer.content == plain.content  # httpx decodes the gzip body
    assert answers[0].headers["content-length"] == answers[1].headers["content-length"]
    assert int(answers[0].headers["content-length"]) < len(plain.content)
