"""The shapes on the wire of a person's data requests (``/api/v1/privacy/export|erase``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from rcommerce.orders.models import BuyerIn

# The request: an e-mail, a phone number (any way it is typed) or both; neither is a 422.
PersonIn = BuyerIn

_Rows = list[dict[str, Any]]


class PersonExport(BaseModel):
    """Everything the store keeps about the person, one section per kind of record."""

    email: str | None = Field(description="The e-mail asked for, lower-cased.")
    phone: str | None = Field(description="The phone asked for, in E.164.")
    orders: _Rows = Field(description="Orders placed with the e-mail or the phone, with lines.")
    phone_opt_outs: _Rows = Field(
        description="The phone's opt-out of the store's review requests and programme "
        "messages (source, when), if it used the link an SMS carried."
    )
    advocates: _Rows = Field(
        description="Advocates who joined with the e-mail or the phone: referral code and URL, conversions, "
        "rewards, ledger, redemptions, coupons, and their clicks counted (total, unique, by "
        "channel)."
    )
    reviews: _Rows = Field(
        description="Reviews written with the e-mail or the phone, or for the phone's orders, "
        "with their photos' URLs."
    )
    testimonials: _Rows = Field(description="Testimonials given with the e-mail or the phone.")
    review_requests: _Rows = Field(
        description="Review requests sent to the e-mail or the phone, with every message "
        "attempt (channel, outcome, time)."
    )
    questions: _Rows = Field(description="Product questions asked with the e-mail.")
    answers: _Rows = Field(
        description="Answers written as a verified buyer, through an invitation sent to the "
        "e-mail or for an order placed with the e-mail or the phone."
    )
    answer_invitations: _Rows = Field(
        description="Invitations to answer a question sent to the person."
    )
    connector_coupons: _Rows = Field(
        description="Reward coupons sent to a connected shop platform restricted to the e-mail."
    )
    customer_segments: _Rows = Field(
        description="The shopper segments the person is in, with the rule and figures behind "
        "each membership."
    )


class PersonErased(BaseModel):
    """How many records of each kind were the person's (all zero when nothing was left)."""

    orders: int = Field(description="Orders kept for the accounts, without the buyer.")
    phone_opt_outs: int = Field(description="The phone's opt-out, removed.")
    advocates: int = Field(
        description="Advocates anonymised (money records stay), their links ended."
    )
    reviews: int = Field(description="Reviews deleted, with their photos.")
    testimonials: int
    review_requests: int
    questions: int = Field(description="Questions deleted, with the answers they received.")
    answers: int
    answer_invitations: int
    connector_coupons: int = Field(
        description="Coupons in a connected platform's queue that no longer carry the e-mail "
        "(one not yet created is not created)."
    )
    customer_segments: int = Field(description="Segment memberships removed.")
