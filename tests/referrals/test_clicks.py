"""Clicks are never lost: each web process's spool file, drained idempotently into the
database (with what older releases left on the Redis list); unique visitors counted in Redis,
or decided by the drain when Redis could not count."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import func, select
from starlette.testclient import TestClient

from rcommerce.app import create_app
from rcommerce.boot import start_runtime
from rcommerce.referrals import bots, clicks
from rcommerce.referrals.models import Click
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.support.referrals import BROWSER, drain, enrol, follow
from tests.support.runtime import Clock, ManualRunner, StoreKeys

OTHER_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
_CLICK = {
    "id": "0123456789abcdef",
    "s": 1,
    "a": 2,
    "c": None,
    "ch": "zalo",
    "q": True,
    "ih": "ab" * 16,
    "uh": "0a1b2c3d",
    "ua": "Mozilla/5.0",
    "at": 1_800_000_000.25,
}


def count(runtime: Runtime) -> int:
    with runtime.transaction(readonly=True) as session:
        return int(session.exec(select(func.count()).select_from(Click)).one())


def test_spooled_click_is_on_disk_before_the_redirect_returns(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    follow(client, advocate["referral_code"], "zalo")
    files = list(clicks.spool_folder(runtime).iterdir())
    lines = b"".join(f.read_bytes() for f in files).splitlines()
    assert len(lines) == 1 and lines[0].startswith(b"c2\t")
    assert clicks.spool_rows(lines, as_text=True)[0][4] == "zalo"
    assert count(runtime) == 0
    assert drain(runtime) == 1 and count(runtime) == 1
    assert drain(runtime) == 0 and count(runtime) == 1  # draining again copies nothing twice


def test_spool_of_a_dead_process_is_drained_and_removed(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    folder = clicks.spool_folder(runtime)
    folder.mkdir(parents=True, exist_ok=True)
    records = [
        {
            "id": f"c{n:015d}",
            "s": store.store_id,
            "a": advocate["id"],
            "c": None,
            "ch": "sms",
            "q": True,
            "ih": "x",
            "uh": "y",
            "ua": "phone",
            "at": runtime.now().timestamp(),
        }
        for n in range(5)
    ]
    dead = folder / "999999999-deadbeef0000.jsonl"  # no such pid
    text = "".join(json.dumps(r) + "\n" for r in records)
    dead.write_text(text + '{"id": "half-writ')  # a torn last line is left alone
    assert drain(runtime) == 5
    assert dead.exists()  # the torn tail keeps it until the file is complete
    dead.write_text(text)
    assert drain(runtime) == 0
    assert not dead.exists()
    assert count(runtime) == 5


def test_spool_rotates_and_closed_files_are_removed(
    client: TestClient, runtime: Runtime, store: StoreKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clicks, "SPOOL_ROTATE_BYTES", 600)
    advocate = enrol(client, store)
    for _ in range(6):
        follow(client, advocate["referral_code"], "copy")
    folder = clicks.spool_folder(runtime)
    assert any(p.suffix == ".closed" for p in folder.iterdir())
    assert drain(runtime) == 6
    assert not any(p.suffix == ".closed" for p in folder.iterdir())
    open_files = [p for p in folder.iterdir() if p.suffix == clicks.SPOOL_SUFFIX]
    assert len(open_files) == 1 and str(os.getpid()) in open_files[0].name


@pytest.fixture
def distributed(settings: Settings, clock: Clock, redis_url: str) -> Iterator[Runtime]:
    rt = start_runtime(
        settings.with_overrides(redis_url=redis_url), clock=clock, dispatcher=ManualRunner
    )
    assert rt.redis is not None
    rt.redis.delete(clicks.REDIS_LIST, clicks.REDIS_LOCK)
    yield rt
    rt.close()


def test_distributed_clicks_are_spooled_by_the_web_process_not_redis(
    distributed: Runtime, store: StoreKeys
) -> None:
    app = create_app(distributed.settings, runtime=distributed)
    with TestClient(app, base_url="http://testserver") as client:
        advocate = enrol(client, store)
        for channel in ("zalo", "facebook", "zalo"):
            follow(client, advocate["referral_code"], channel)
    assert distributed.redis is not None
    assert distributed.redis.llen(clicks.REDIS_LIST) == 0
    spooled = b"".join(f.read_bytes() for f in clicks.spool_folder(distributed).iterdir())
    assert len(spooled.splitlines()) == 3
    assert count(distributed) == 0
    assert clicks.drain(distributed) == 3
    assert count(distributed) == 3


def _advocate(runtime: Runtime, store: StoreKeys, email: str) -> int:
    from rcommerce.advocates import service as advocates
    from rcommerce.stores.models import Store

    with runtime.transaction() as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        advocate_id = advocates.enrol(session=session, store=shop, email=email).advocate.id
        assert advocate_id is not None
        return advocate_id


def test_clicks_an_older_release_left_on_the_redis_list_are_copied_once(
    distributed: Runtime, store: StoreKeys
) -> None:
    advocate_id = _advocate(distributed, store, "a@example.com")
    assert distributed.redis is not None
    click = {
        "id": "abc",
        "s": store.store_id,
        "a": advocate_id,
        "c": None,
        "ch": "qr",
        "q": True,
        "ih": None,
        "uh": None,
        "ua": "x",
        "at": distributed.now().timestamp(),
    }
    distributed.redis.rpush(clicks.REDIS_LIST, json.dumps(click), json.dumps({**click, "id": "b"}))
    with distributed.transaction() as session:  # a drain copied one, then died before LTRIM
        clicks.insert_clicks(session, [click])
    assert clicks.drain(distributed) == 1
    assert count(distributed) == 2 and distributed.redis.llen(clicks.REDIS_LIST) == 0


def test_with_redis_down_links_answer_and_the_drain_decides_unique_visitors(
    settings: Settings, clock: Clock, store: StoreKeys
) -> None:
    from tests.support.servers import free_port

    down = settings.with_overrides(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    runtime = start_runtime(down, clock=clock, dispatcher=ManualRunner)
    try:
        app = create_app(down, runtime=runtime)
        with TestClient(app, base_url="http://testserver") as client:
            advocate = enrol(client, store)
            for ua in (BROWSER, BROWSER, OTHER_PHONE, BROWSER):
                follow(client, advocate["referral_code"], ua=ua)
        rows = clicks.spool_rows(
            b"".join(f.read_bytes() for f in clicks.spool_folder(runtime).iterdir()).splitlines(),
            as_text=True,
        )
        # Nobody could count them across processes at the redirect: the process knew its own
        # repeats, and left the others to the drain.
        assert [row[5] for row in rows] == [None, False, None, False]
        assert clicks.drain(runtime) == 4
        clock.advance(hours=2)  # a visit more than an hour after the first unique one
        with TestClient(app, base_url="http://testserver") as client:
            follow(client, advocate["referral_code"], ua=BROWSER)
        assert clicks.drain(runtime) == 1
        with runtime.transaction(readonly=True) as session:
            flags = session.exec(select(Click.unique).order_by(Click.created_at)).all()
        assert flags == [True, False, True, False, True]
    finally:
        runtime.close()


@pytest.mark.parametrize(
    ("user_agent", "bot"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
            False,
        ),
        ("facebookexternalhit/1.1", True),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", True),
        (None, True),
    ],
)
def test_bot_detection(user_agent: str | None, bot: bool) -> None:
    assert bots.is_bot(user_agent) is bot


def _hypothetical_click(
    ua: str, campaign: int | None, at: float, unique: bool | None, ip_hash: str | None
) -> dict[str, object]:
    return {
        "id": "0123456789abcdef",
        "s": 7,
        "a": 2**40,
        "c": campaign,
        "ch": "zalo",
        "q": unique,
        "ih": ip_hash,
        "uh": "0a1b2c3d",
        "ua": ua,
        "at": at,
    }


@given(
    ua=st.text(max_size=300) | st.sampled_from(["a\tb", "a\\tb", "x\\", "\\\\n\n\r", "\t"]),
    campaign=st.one_of(st.none(), st.integers(min_value=1, max_value=2**62)),
    at=st.floats(min_value=0, max_value=4e9, allow_nan=False),
    unique=st.one_of(st.booleans(), st.none()),
    ip_hash=st.one_of(st.none(), st.just("ab" * 16)),
)
def test_a_spool_line_reads_back_as_the_clicks_row(
    ua: str, campaign: int | None, at: float, unique: bool | None, ip_hash: str | None
) -> None:
    """Whatever the user agent holds (tabs, backslashes, line breaks), a spool line reads
    back as exactly the row the click's dict gives, in both time forms."""
    click = _hypothetical_click(ua, campaign, at, unique, ip_hash)
    prefix = clicks.spool_prefix(7, 2**40, campaign)
    line = clicks.spool_line(prefix, click["id"], "zalo", unique, ip_hash, ua, at)
    encoded = line.encode()
    assert b"\n" not in encoded and b"\r" not in encoded  # one line, whatever the agent
    for as_text in (True, False):
        assert clicks.spool_rows([encoded], as_text=as_text) == [
            clicks._row(click, as_text=as_text)
        ]


def test_spool_lines_of_both_formats_are_read_and_a_broken_one_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A spool written before the tab-separated format (JSON lines) is still copied; a torn
    line is logged and dropped, and only that one."""
    prefix = clicks.spool_prefix(1, 2, None)
    new = clicks.spool_line(prefix, "00ff", "qr", False, None, "UA", 1_800_000_000.5)
    old = json.dumps({**_CLICK, "id": "0001"})
    lines = [new.encode(), old.encode(), b"c2\t0002\t1\t2", "c2\t\xff".encode("latin-1")]
    rows = clicks.spool_rows(lines, as_text=True)
    assert [(r[0], r[4], r[5], r[6]) for r in rows] == [
        ("00ff", "qr", False, None),
        ("0001", "zalo", True, "ab" * 16),
    ]
    assert caplog.text.count("unreadable click record") == 2


def test_a_batch_with_an_unreadable_line_loses_only_that_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = [json.dumps({**_CLICK, "id": f"{i:016x}"}).encode() for i in range(3)]
    batch = [good[0], b'{"id": "cut off', good[1], b"[1, 2]", good[2]]
    assert [c["id"] for c in clicks.parse_lines(good)] == [f"{i:016x}" for i in range(3)]
    assert [c["id"] for c in clicks.parse_lines(batch)] == [f"{i:016x}" for i in range(3)]
    assert "unreadable click record" in caplog.text
    assert clicks.parse_lines([b'{"a": 1}, {"b": 2}']) == []  # one line is one click, or none


@given(at=st.floats(min_value=0, max_value=4e9, allow_nan=False))
def test_sqlite_click_times_are_written_as_sqlalchemy_writes_them(at: float) -> None:
    created = datetime.fromtimestamp(at, UTC).replace(tzinfo=None)
    assert clicks.sqlite_time(at) == created.strftime("%Y-%m-%d %H:%M:%S.%f")


@pytest.mark.parametrize("at", [1_800_000_000.9999996, 1_800_000_000.0000005, 0.0, 59.5])
def test_sqlite_click_times_round_like_datetime(at: float) -> None:
    created = datetime.fromtimestamp(at, UTC).replace(tzinfo=None)
    assert clicks.sqlite_time(at) == created.strftime("%Y-%m-%d %H:%M:%S.%f")


def test_click_ids_are_unique_and_in_time_order() -> None:
    ids = [clicks.new_click_id(1_800_000_000.0 + i / 1000) for i in range(2000)]
    assert len(set(ids)) == len(ids)
    assert ids[::100] == sorted(ids[::100])  # one per 0.1 s: the time prefix orders them
    same_moment = {clicks.new_click_id(1_800_000_000.0) for _ in range(2000)}
    assert len(same_moment) == 2000
    assert all(len(i) == 28 and int(i, 16) >= 0 for i in same_moment)


def test_a_large_batch_is_copied_whole_once_and_other_advocates_skipped(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    at = runtime.now().timestamp()
    batch = [
        {
            **_CLICK,
            "id": clicks.new_click_id(at + n / 1000),
            "s": store.store_id,
            "a": advocate["id"],
        }
        for n in range(1203)  # several multi-row statements on SQLite, the last one short
    ]
    gone = {**_CLICK, "id": clicks.new_click_id(at), "s": store.store_id, "a": 999_999}
    with runtime.transaction() as session:
        assert clicks.insert_clicks(session, [*batch, gone]) == 1203
    with runtime.transaction() as session:
        assert clicks.insert_clicks(session, [dict(c) for c in batch[:700]]) == 0
    assert count(runtime) == 1203
    with runtime.transaction(readonly=True) as session:
        stored = session.get(Click, batch[-1]["id"])
    assert stored is not None and stored.channel == "zalo" and stored.unique is True
    assert stored.created_at.timestamp() == pytest.approx(batch[-1]["at"], abs=1e-6)
