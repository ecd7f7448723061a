"""Who is counted at /r/{code}: people's browsers, in-app browsers included; not crawlers,
link-preview fetchers or other programs. Measured on a corpus of real user agents
(tests/referrals/data, sources in SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import crawleruseragents
import pytest
from crawlerdetect import CrawlerDetect
from crawlerdetect.providers import crawlers

from rcommerce.referrals import bots, redirect

DATA = Path(__file__).parent / "data"


def corpus(name: str) -> list[tuple[str, str]]:
    """(group, user agent) for each line of a corpus file."""
    group = ""
    lines = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            group = line[3:]
        elif line and not line.startswith("#"):
            lines.append((group, line))
    return lines


BROWSERS = corpus("browsers.txt")
BOTS = corpus("bots.txt")


def test_the_corpus_is_large_enough_and_has_no_duplicates() -> None:
    assert len(BROWSERS) >= 500 and len(BOTS) >= 200
    agents = [ua for _, ua in BROWSERS + BOTS]
    assert len(set(agents)) == len(agents)


def test_no_browser_is_lost_and_at_least_99_percent_of_bots_are_excluded() -> None:
    lost = [(group, ua) for group, ua in BROWSERS if bots.is_bot(ua)]
    counted = [(group, ua) for group, ua in BOTS if not bots.is_bot(ua)]
    excluded = len(BOTS) - len(counted)
    print(
        f"\nbrowsers lost: {len(lost)} of {len(BROWSERS)}"
        f"\nbots excluded: {excluded} of {len(BOTS)} ({100 * excluded / len(BOTS):.2f} %)"
    )
    for group, ua in counted:
        print(f"  bot counted as a person [{group}]: {ua}")
    assert lost == []
    assert excluded / len(BOTS) >= 0.99


@pytest.mark.parametrize(
    "user_agent",
    [
        # The phone in issue #16: "go" was a bot word.
        "Mozilla/5.0 (Linux; Android 8.1.0; Redmi Go Build/OPM1.171019.026) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
        # Other Android Go phones.
        "Mozilla/5.0 (Linux; Android 8.1.0; View2 Go) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.93 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 9; Agora Go Build/PPR1.180610.011) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 Mobile Safari/537.36",
        # "Java": UC Browser on feature phones.
        "UCWEB/2.0 (Java; U; MIDP-2.0; en-US; Nokia501) U2/1.0.0 UCBrowser/9.5.0.449 U2/1.0.0 Mobile",
        "Nokia210/2.0 (04.12) Profile/MIDP-2.1 Configuration/CLDC-1.1 UCWEB/2.0 (Java; U; MIDP-2.0; en-US; Nokia210) U2/1.0.0 UCBrowser/9.3.0.326 U2/1.0.0 Mobile",
        # "Outlook": a link tapped in Outlook for iOS (crawlerdetect lists "Outlook-iOS").
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Outlook-iOS/749.4.prod.iphone (4.2534.0)",
        # "bot" in a phone's model name.
        "Mozilla/5.0 (Linux; Android 7.0; M bot 54) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.96 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 6.0; VR BOT 552) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/72.0.3626.121 Mobile Safari/537.36",
    ],
)
def test_words_of_the_old_list_inside_real_browsers_are_people(user_agent: str) -> None:
    assert user_agent in {ua for _, ua in BROWSERS}  # recorded, not written here
    assert bots.is_bot(user_agent) is False


@pytest.mark.parametrize("word", ["Fetch", "Preview", "Java", "Outlook", "Go", "Python"])
def test_a_word_alone_never_makes_a_browser_a_bot(word: str) -> None:
    """No real browser in the sources carries "fetch" or "preview" as a word, so this probe
    puts each word of the old list where a phone maker can put any text: the model name of
    the Redmi Go user agent above (a probe, not a recorded user agent)."""
    user_agent = (
        f"Mozilla/5.0 (Linux; Android 8.1.0; Redmi {word} Build/OPM1.171019.026) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36"
    )
    assert bots.is_bot(user_agent) is False


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (Linux; Android 16; SM-A576U1 Build/BP4A.251205.006;) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/151.0.7922.199 Mobile Safari/537.36 Zalo android/260801903 ZaloTheme/light ZaloLanguage/en",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 14_8_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Zalo iOS/438 ZaloTheme/light ZaloLanguage/vn",
        "Mozilla/5.0 (Linux; Android 9; SM-G950U Build/PPR1.180610.011; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/80.0.3987.149 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/263.0.0.46.121;]",
        "Mozilla/5.0 (Linux; Android 7.1.2; G011A Build/N2G48H; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/66.0.3359.158 Safari/537.36 Viber/11.9.5.8",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/112.0.174 Chrome/106.0.5249.174 Safari/537.36",
    ],
)
def test_in_app_browsers_and_coc_coc_are_people(user_agent: str) -> None:
    assert user_agent in {ua for _, ua in BROWSERS}  # recorded, not written here
    assert bots.is_bot(user_agent) is False


@pytest.mark.parametrize(
    "user_agent",
    [
        # Shapes the rule targets; Zalo documents no fetcher user agent and none was found
        # recorded (see data/SOURCES.md), so these are not recorded user agents.
        "Mozilla/5.0 (compatible; Zalo-Link-Crawler/1.0; +https://zalo.me)",
        "Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 ZaloBot/1.0",
        "zalo-link-preview/2.0",
        "LinkFetcher (Zalo)",
    ],
)
def test_zalo_link_fetchers_are_not_people(user_agent: str) -> None:
    assert bots.is_bot(user_agent) is True


@pytest.mark.parametrize(
    "user_agent",
    [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Facebot/1.0",
        "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
        "WhatsApp/2.19.258 A",
        "TelegramBot (like TwitterBot)",
        "Viber",
        "ViberUrlDownloader",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Jakarta Commons-HttpClient/3.1 +http://www.linkedin.com)",
        "Mozilla/5.0 (compatible; Yahoo Link Preview; https://help.yahoo.com/kb/mail/yahoo-link-preview-SLN23615.html)",
        "Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 19 subscribers; feed-id=13965549748850348809)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    ],
)
def test_preview_fetchers_and_crawlers_are_not_people(user_agent: str) -> None:
    assert user_agent in {ua for _, ua in BOTS}  # recorded, not written here
    assert bots.is_bot(user_agent) is True


@pytest.mark.parametrize("user_agent", [None, "", "Facebot", "Mozilla"])
def test_no_user_agent_or_a_few_letters_is_no_browser(user_agent: str | None) -> None:
    assert bots.is_bot(user_agent) is True


def test_the_redirect_asks_this_module() -> None:
    assert redirect.bots is bots


def test_verdicts_are_cached_per_user_agent() -> None:
    ua = BROWSERS[0][1]
    bots.is_bot(ua)
    hits = bots._verdict.cache_info().hits
    assert bots.is_bot(ua) is False
    assert bots._verdict.cache_info().hits == hits + 1
    assert bots._verdict.cache_info().maxsize == bots.CACHE_SIZE


def test_a_user_agent_longer_than_any_browser_s_is_not_looked_at() -> None:
    assert max(len(ua) for _, ua in BROWSERS) < bots.MAX_LENGTH
    size = bots._verdict.cache_info().currsize
    assert bots.is_bot(BROWSERS[0][1] + " x@a" * bots.MAX_LENGTH) is True
    assert bots._verdict.cache_info().currsize == size


def test_the_fast_lists_answer_as_the_libraries_do() -> None:
    """The trie-shaped matchers are the crawlerdetect and crawler-user-agents libraries'
    own answers, on every user agent of the corpus and on every plain text that a pattern
    was rewritten into."""
    lists = bots.crawler_lists()
    detect = CrawlerDetect()
    probes = [ua for _, ua in BROWSERS + BOTS]
    patterns = list(crawlers.data) + [
        e["pattern"] for e in crawleruseragents.CRAWLER_USER_AGENTS_DATA
    ]
    for pattern in patterns:
        words = bots._as_words(pattern)
        if words is not None and words != [bots._as_literal(pattern)]:
            probes += [word for word in words] + [f"Mozilla/5.0 {word} x" for word in words]
    differ = [
        ua
        for ua in probes
        if lists.crawlerdetect(ua.lower()) != detect.is_crawler(ua)
        or lists.crawler_user_agents(ua) != crawleruseragents.is_crawler(ua)
    ]
    assert differ == []


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("Googlebot\\/", ["Googlebot/"]),
        ("[wW]get", ["Wget", "wget"]),
        (
            "(sistrix|SISTRIX) [cC]rawler",
            ["sistrix crawler", "sistrix Crawler", "SISTRIX crawler", "SISTRIX Crawler"],
        ),
        ("[a-z0-9\\-_]*(bot|spider)", ["bot", "spider"]),
        ("^Java\\/", None),
        ("Fetch\\/[0-9]", None),
        ("Automaton|Newsify Feed Fetcher", ["Automaton", "Newsify Feed Fetcher"]),
    ],
)
def test_patterns_rewritten_into_plain_texts(pattern: str, words: list[str] | None) -> None:
    found = bots._as_words(pattern)
    assert (None if found is None else sorted(found)) == (None if words is None else sorted(words))
