"""Background work of questions: inviting a product's buyers to answer a published question, and
telling askers of each published answer."""

from __future__ import annotations

from rcommerce.jobs import JobContext, job
from rcommerce.questions import invitations


@job("questions.invite", max_attempts=6, base_backoff=60.0)
def invite(ctx: JobContext, *, question_id: int) -> None:
    invitations.invite(ctx.runtime, ctx.session, question_id, ctx.now())


@job("questions.notify_answer", max_attempts=6, base_backoff=60.0)
def notify_answer(ctx: JobContext, *, answer_id: int) -> None:
    invitations.notify_answer(ctx.runtime, ctx.session, answer_id, ctx.now())
