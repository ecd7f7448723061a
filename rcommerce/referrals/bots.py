"""Who follows a referral link: people's browsers are counted, crawlers, link-preview fetchers
and other programs are not. The redirect asks this for every click, so each user agent's
verdict is cached; see docs/referrals.md ("Not counted") for the rules and their sources.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import TypeAlias

# A user agent shorter than MIN_LENGTH or longer than MAX_LENGTH is no browser's (browsers
# send 60 to about 500 characters); not looking at longer ones keeps the cache under a few
# megabytes and the regular expressions' work bounded, whatever is sent.
MIN_LENGTH = 10
MAX_LENGTH = 1024
# Verdicts remembered: real traffic repeats a few thousand user agents (phone models, app
# builds).
CACHE_SIZE = 16384

# Link-preview fetchers of chat and social apps, ours: when a link is pasted in a chat, the
# app's server fetches it to draw the preview card, and that is no click. Facebook and
# Messenger (facebookexternalhit, Facebot, meta-external*), Apple Messages (iMessage sends
# facebookexternalhit and Twitterbot), Telegram, WhatsApp, Viber, Slack, Discord, Skype,
# LinkedIn, X/Twitter, Pinterest, Snapchat, KakaoTalk, Bluesky, Mastodon, Tumblr, Reddit,
# Microsoft Teams/Outlook (MicrosoftPreview, BingPreview) and embed services; and e-mail link
# scanners (MailScanner, Proofpoint, Barracuda, Mimecast), which open every link of an e-mail.
# Matched on the lower-cased user agent; every alternative starts with a plain letter, which
# the regex engine can rule out at once.
_PREVIEW_FETCHERS = re.compile(
    r"facebookexternalhit|facebookcatalog|facebot|meta-external|telegrambot|whatsapp"
    r"|viberurldownloader|slackbot|slack-imgproxy|discordbot|skypeuripreview|linkedinbot"
    r"|twitterbot|applebot|pinterestbot|snap url preview|kakaotalk-scrap|bluesky|mastodon/"
    r"|tumblr/|redditbot|iframely|embedly|vkshare|microsoftpreview|bingpreview"
    r"|google web preview|chatwork linkpreview|linkpreview|link preview"
    r"|mailscanner|proofpoint|barracuda|mimecast"
)
# Viber's fetcher sends just "Viber". Zalo publishes no user agent for its link fetchers:
# any "Zalo" token joined to bot, crawler, spider, preview, link or fetch is one.
_BARE_FETCHERS = frozenset(("viber",))
_ZALO_FETCHER = re.compile(
    r"zalo[\w-]*(?:bot|crawl|spider|preview|link|fetch)"
    r"|(?:bot|crawl|spider|preview|link|fetch)[\w-]*zalo"
)

# In-app browsers: a person who taps a link inside Zalo, Facebook (FBAN/FBAV, FB_IAB),
# Messenger (FB_IAB/Orca, MessengerForiOS, LightSpeed), Instagram, TikTok (musical_ly,
# trill_, BytedanceWebview), LINE, Snapchat, Viber or Outlook's mobile apps, and the Coc Coc
# browser. Only when the user agent is a browser engine's (see _BROWSER_ENGINE): the apps'
# own programs (WhatsApp/2.x, Viber, Outlook-iOS/x without a browser) are not people.
# Checked before the crawler lists, which name some of these apps' tokens.
_IN_APP_BROWSERS = re.compile(
    r"zalo\b|fban/|fbav/|fb_iab/|messengerforios|messengerliteforios|instagram "
    r"|musical_ly|trill_|bytedancewebview|coc_coc_browser| line/|snapchat| viber"
    r"|outlook-ios/|outlook-android/"
)

# Every browser, phone or desktop, names its engine (WebKit, Blink's Chrome/, Gecko,
# Trident, Presto) or is one of the feature-phone browsers; programs (HTTP libraries, apps'
# fetchers, feed readers, scanners) mostly do not.
_BROWSER_ENGINE = re.compile(
    r"webkit/|gecko/|chrome/|safari/|firefox/|trident/|presto/|msie |ucbrowser|opera mini"
)

# Crawlers that copy a browser's user agent still sign it with where to find them: a web
# or e-mail address, which no browser puts in its user agent.
_WEB_ADDRESS = re.compile(r"http://|https://|\+http|www\.|mailto:")
_EMAIL_ADDRESS = re.compile(r"[\w.+-]@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")

# The phone model in an Android browser's user agent ("Android 8.1.0; Redmi Go Build/...")
# is the manufacturer's name for it, never a crawler's: it is masked before the crawler lists
# are asked, so "Redmi Go", "M bot 54" or "VR BOT 552" are phones, not Go clients or bots.
# Found in the lower-cased user agent (a plain "(" first: quick to rule out).
_ANDROID_MODEL = re.compile(
    r"\(linux;(?: u;)? android [^;)]*;(?: [a-z]{2,3}[-_][a-z]{2,4};)? ([^;)]+)"
)


def is_bot(user_agent: str | None) -> bool:
    """True when a request with this user agent is not a person's browser: a crawler, a
    link-preview fetcher, another program, or no user agent at all."""
    if not user_agent or not MIN_LENGTH <= len(user_agent) <= MAX_LENGTH:
        return True
    return _verdict(user_agent)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _verdict(user_agent: str) -> bool:
    return _judge(user_agent)


def _judge(user_agent: str) -> bool:
    """docs/referrals.md's rules in their order: our preview fetchers and scanners, in-app
    browsers, the two crawler lists (phone model masked), no browser engine, an address."""
    low = user_agent.lower()
    if (
        _PREVIEW_FETCHERS.search(low)
        or low in _BARE_FETCHERS
        or ("zalo" in low and _ZALO_FETCHER.search(low))
    ):
        return True
    browser = _BROWSER_ENGINE.search(low) is not None
    if browser and _IN_APP_BROWSERS.search(low):
        return False
    model = _ANDROID_MODEL.search(low)
    if model is not None and len(low) == len(user_agent):
        start, end = model.span(1)
        user_agent = f"{user_agent[:start]}model{user_agent[end:]}"
        low = f"{low[:start]}model{low[end:]}"
    lists = crawler_lists()
    if lists.crawlerdetect(low) or lists.crawler_user_agents(user_agent):
        return True
    return (
        not browser
        or _WEB_ADDRESS.search(low) is not None
        or ("@" in low and _EMAIL_ADDRESS.search(low) is not None)
    )


# ---------------------------------------------------------------------------------------
# The maintained crawler lists, matched fast.
#
# Both lists are a few thousand regular expressions, most of them plain words. Joined into
# one alternation, Python's regex engine tries every one at every position of the user
# agent (about 2 ms per user agent on this project's machine). Here the plain words become
# one trie-shaped expression (at each position, one branch per next character) and only the
# few real expressions stay as they are; the answer is the libraries' own (tests check it
# on the whole corpus), at tens of microseconds for a user agent not seen before.


class CrawlerLists:
    """crawlerdetect (JayBizzle/Crawler-Detect's list) and crawler-user-agents (monperrus's
    list), each answering exactly as the library does."""

    def __init__(
        self,
        crawlerdetect_patterns: Iterable[str],
        crawlerdetect_exclusions: Iterable[str],
        crawler_user_agents_patterns: Iterable[str],
    ) -> None:
        # crawlerdetect: case-insensitive; browser tokens (exclusions) are removed first.
        self._exclusions = _lower_case_matcher(crawlerdetect_exclusions)
        self._crawlerdetect = _any_of(crawlerdetect_patterns, lower=True)
        # crawler-user-agents: case-sensitive, on the whole user agent.
        self._crawler_user_agents = _any_of(crawler_user_agents_patterns, lower=False)

    def crawlerdetect(self, low: str) -> bool:
        """crawlerdetect's CrawlerDetect().is_crawler, for a lower-cased user agent."""
        agent = self._exclusions.sub("", low.strip())
        return bool(agent) and self._crawlerdetect(agent)

    def crawler_user_agents(self, user_agent: str) -> bool:
        """crawleruseragents.is_crawler (case-sensitive, its default)."""
        return self._crawler_user_agents(user_agent)


@functools.cache
def crawler_lists() -> CrawlerLists:
    """The installed lists, compiled on first use (not at import: the web process starts
    without paying for it until the first click)."""
    import crawleruseragents
    from crawlerdetect.providers import crawlers, exclusions

    return CrawlerLists(
        crawlers.data,
        exclusions.data,
        [entry["pattern"] for entry in crawleruseragents.CRAWLER_USER_AGENTS_DATA],
    )


_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_METACHARACTERS = frozenset("\\.^$*+?{}[]()|")
# A leading "x*", "[...]*" or ".*" may match nothing: for "is it found anywhere" it adds nothing.
_LEADING_REPEAT = re.compile(r"^(?:\[(?:\\.|[^\]\\])+\]|\\.|\.|[^\\()\[\]|^$])\*(?=.)")
# A choice between plain texts: "(a|b)", "(?:a|b)", or a letter in either case, "[wW]".
_CHOICE = re.compile(
    r"\((?!\?(?!:))(?:\?:)?((?:\\.|[^()\\\[\]])*)\)|\[([a-zA-Z][a-zA-Z])\](?![?*+{])"
)
_MOST_WORDS = 64


def _as_literal(pattern: str) -> str | None:
    """The plain text a pattern matches when it is one (escaped punctuation allowed)."""
    text = _ESCAPED.sub(lambda m: m.group(1) if not m.group(1).isalnum() else "\0", pattern)
    if "\0" in text or any(c in _METACHARACTERS for c in _ESCAPED.sub("", pattern)):
        return None
    return text


def _as_words(pattern: str) -> list[str] | None:
    """Plain texts such that the pattern is found in a text exactly when one of them is
    ("Googlebot\\/", "[wW]get", "(sistrix|SISTRIX) crawler", "[a-z]*(bot|spider)"), or None
    when the pattern is a real expression."""
    if any(f"\\{c}" in pattern for c in "[]()|"):
        return None
    words: list[str] = []
    todo = [pattern]
    while todo:
        if len(words) + len(todo) > _MOST_WORDS:
            return None
        parts = _top_level_alternatives(_LEADING_REPEAT.sub("", todo.pop()))
        if parts is None:
            return None
        if len(parts) > 1:
            todo.extend(parts)
            continue
        part = parts[0]
        literal = _as_literal(part)
        if literal is not None:
            words.append(literal)
            continue
        choice = _CHOICE.search(part)
        if choice is None or part[choice.end() : choice.end() + 1] in ("?", "*", "+", "{"):
            return None
        options = choice.group(1).split("|") if choice.group(2) is None else list(choice.group(2))
        todo.extend(part[: choice.start()] + option + part[choice.end() :] for option in options)
    return words


def _top_level_alternatives(pattern: str) -> list[str] | None:
    """The pattern split at its top-level "|" (None when its brackets do not balance)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif char == "[":
            i = pattern.find("]", i + 2)
            if i < 0:
                return None
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts if depth == 0 else None


def _lowers_safely(pattern: str) -> bool:
    """Whether the lower-cased pattern on lower-cased text matches what the pattern matches
    case-insensitively: not when it has an upper-case escape (\\D, \\S, \\W, \\B, \\A, \\Z)."""
    return not any(m.group(1).isupper() for m in _ESCAPED.finditer(pattern))


def _expression(patterns: Iterable[str], *, lower: bool) -> str:
    """Patterns as one alternation; for lower-cased text when ``lower`` (the patterns then
    meant case-insensitively)."""
    if not lower:
        return "|".join(patterns)
    return "|".join(p.lower() if _lowers_safely(p) else f"(?i:{p})" for p in patterns)


def _lower_case_matcher(patterns: Iterable[str]) -> re.Pattern[str]:
    """Patterns meant case-insensitively, as one expression for lower-cased text."""
    return re.compile(_expression(patterns, lower=True))


def _any_of(patterns: Iterable[str], *, lower: bool) -> Callable[[str], bool]:
    """Whether any pattern is found in the text (lower-cased text and patterns matched
    case-insensitively when ``lower``). Plain texts go into one trie; patterns anchored at
    the start are tried there only; the rest stay one alternation."""
    words: list[str] = []
    anchored: list[str] = []
    others: list[str] = []
    for pattern in patterns:
        found = _as_words(pattern)
        if found is not None:
            words.extend(word.lower() if lower else word for word in found)
        elif pattern.startswith("^") and _top_level_alternatives(pattern) == [pattern]:
            anchored.append(pattern[1:])
        else:
            others.append(pattern)
    tests: list[Callable[[str], object]] = []
    if words:
        tests.append(re.compile(_trie(words)).search)
    if anchored:
        tests.append(re.compile(f"(?:{_expression(anchored, lower=lower)})").match)
    if others:
        tests.append(re.compile(_expression(others, lower=lower)).search)
    return lambda text: any(test(text) is not None for test in tests)


_Node: TypeAlias = dict[str, "_Node"]  # a trie node: next character -> node ("" ends a word)


def _trie(words: Iterable[str]) -> str:
    """One expression finding any of the words, shaped as a trie: the engine follows one
    branch per character instead of trying every word at every position."""
    root: _Node = {}
    for word in sorted(set(words), key=len):
        node = root
        for char in word:
            if "" in node:  # a shorter word already matches here: longer ones add nothing
                break
            node = node.setdefault(char, {})
        else:
            node.clear()
            node[""] = {}
    return _trie_expression(root)


def _trie_expression(node: _Node) -> str:
    if "" in node:
        return ""
    branches = [re.escape(char) + _trie_expression(child) for char, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
