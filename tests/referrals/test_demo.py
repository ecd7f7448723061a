from __future__ import annotations

import random

from sqlmodel import func, select

from rcommerce.demo.seed import DemoContext, _seed_catalogue
from rcommerce.referrals import campaigns, demo
from rcommerce.referrals.models import Click, Conversion, Reward
from rcommerce.runtime import Runtime
from rcommerce.stores import service as stores


def test_demo_seed_gives_a_living_programme(runtime: Runtime) -> None:
    with runtime.transaction() as session:
        store = stores.create_store(
            session=session, name="Demo", origins=["http://127.0.0.1:8000"]
        ).store
        ctx = DemoContext(runtime, session, store, random.Random(2026))
        _seed_catalogue(ctx)
        demo.seed(ctx)
        channels = set(session.exec(select(Click.channel).distinct()))
        assert {"zalo", "facebook", "messenger"} <= channels
        assert session.exec(select(func.count()).select_from(Click)).one() > 50
        statuses = set(session.exec(select(Conversion.status).distinct()))
        assert {"approved", "held", "reversed"} <= statuses
        rewards = set(session.exec(select(Reward.status).distinct()))
        assert {"issued", "clawed_back"} <= rewards
        for line in ctx.banner_lines:
            assert "/r/" in line and "?ch=zalo" in line
        assert len(ctx.banner_lines) == 1
        assert campaigns.list_campaigns(session, store)[0].is_default
        again = DemoContext(runtime, session, store, random.Random(1), fresh=False)
        demo.seed(again)
        assert again.banner_lines == ctx.banner_lines
