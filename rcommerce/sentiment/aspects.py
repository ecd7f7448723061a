"""Aspect keywords (delivery, quality, price, service, packaging, matches_description).

Vietnamese keys are canonical tokens (accent-stripped, teencode expanded, see normalize);
English keys are lower-case words. A clause that mentions a keyword is scored for that aspect.
"""

from __future__ import annotations

ASPECTS: tuple[str, ...] = (
    "delivery",
    "quality",
    "price",
    "service",
    "packaging",
    "matches_description",
)

# Aspect -> keywords (single tokens or space-joined phrases of canonical tokens).
VI_ASPECT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "delivery": (
        "giao", "giao hang", "ship", "shipper", "van chuyen", "nhan hang", "toi noi",
        "den noi", "chuyen phat", "buu dien", "ghn", "giao hang nhanh", "dong goi nhanh",
    ),
    "quality": (
        "chat luong", "vai", "benx", "hongx", "loix",
        "xinx", "chat lieu", "pin", "camera", "man hinh", "may", "hoat dong",
        "san pham", "cau hinh", "hieu nang", "am thanh", "loa",
    ),
    "price": (
        "gia", "gia tien", "tien", "re", "rex", "datx", "dat tien", "gia ca", "khuyen mai",
        "giam gia", "sale", "voucher", "dang tien", "dang dong tien", "trieu", "phi",
    ),
    "service": (
        "shop", "nhan vien", "phuc vu", "tu van", "tra loi", "nhiet tinh", "thai do",
        "cham soc", "ho tro", "bao hanh", "chu shop", "seller", "dich vu", "tgdd",
        "the gioi di dong", "cua hang", "doi tra", "phan hoi",
    ),
    "packaging": (
        "dong goi", "bao bi", "goi hang", "boc", "chong soc", "thung", "bong bong", "vo hop",
        "hop dung", "can than",
    ),
    "matches_description": (
        "mo ta", "hinh", "giong hinh", "dung hinh", "dungx", "dung mau",
        "size", "kich thuoc", "nhu hinh", "khac hinh", "sai", "giong", "quang cao",
    ),
}

EN_ASPECT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "delivery": (
        "delivery", "delivered", "shipping", "shipped", "ship", "arrived", "arrive",
        "courier", "dispatch", "dispatched", "late", "parcel", "postage",
    ),
    "quality": (
        "quality", "material", "materials", "durable", "sturdy", "broke", "broken", "flimsy",
        "cheaply", "build", "works", "working", "battery", "fabric", "stitching", "fell",
        "defective", "food",
    ),
    "price": (
        "price", "prices", "priced", "cost", "costs", "expensive", "cheap", "value", "money",
        "overpriced", "affordable", "bargain", "deal", "worth",
    ),
    "service": (
        "service", "staff", "seller", "support", "customer", "waiter", "waitress", "server",
        "refund", "reply", "responded", "response", "helpful", "rude", "friendly", "manager",
    ),
    "packaging": (
        "packaging", "package", "packaged", "packed", "box", "wrapped", "wrapping", "packing",
    ),
    "matches_description": (
        "described", "description", "pictured", "picture", "pictures", "photo", "photos",
        "advertised", "expected", "size", "fits", "fit", "listing",
    ),
}
