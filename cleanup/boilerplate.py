"""Boilerplate (site chrome) stripping for plain text, Chinese and English.

Scraped articles arrive with the page around them: breadcrumbs and menus on top,
bylines and "来源:… 作者:…" lines under the title, and a footer of comment forms,
disclaimers, copyright lines, share prompts and widget headings.  A line is judged
by three kinds of evidence:

- **what it says**: phrase cues that only chrome uses ("All Rights Reserved",
  "Leave a Reply", "版权与免责声明", "(责任编辑:…)");
- **its shape**: separators between short items (breadcrumbs, menus, language
  switchers), bullets, a label-colon-value layout (metadata), a short line with no
  sentence punctuation (a widget heading);
- **its position**: chrome gathers in a head block before the title and a tail
  block after the last body paragraph.  A short, unpunctuated line is removed only
  inside such a block next to lines that are chrome for certain, so a short body
  heading or a one-line closing sentence is never touched;

and, in a batch, **recurrence**: a line found in many documents of the corpus
(:class:`cleanup.api.CorpusLines`) is chrome of the site.

Public functions:

- ``line_reason(line, lang) -> str | None``: the context-free verdict on one line
  (strong cues only; None means "looks like content").
- ``strip_boilerplate(lines, lang, corpus=None) -> Stripped``: the whole-document
  verdict with position and recurrence, metadata lifted out of the removed lines,
  and editor credits cut from the end of a content paragraph.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleanup.linemodel import MAX_CHARS, features, judged, judged_features, load_model, page_allows
from cleanup.record import Change, Removed
from cleanup.script import han_count

# --------------------------------------------------------------------------- cues

_I = re.IGNORECASE


def _trie_pattern(words: list[str]) -> str:
    """A regex matching any of ``words``, factored by shared prefixes (the engine tries alternatives one by
    one: a trie tries one branch per character), the longest word at a place first.

    >>> re.findall(_trie_pattern(["by", "byline", "view", "views"]), "views byline by")
    ['views', 'byline', 'by']
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return build(trie)


# (pattern, reason, longest line the cue may judge alone; None = any length)
_CUES: list[tuple[re.Pattern[str], str, int | None]] = [
    # copyright, licences, disclaimers
    (re.compile(r"\ball\s+rights\s+reserved\b|^\s*(copyright\b|©|\(c\)\s*\d{4})|copyright\s*(©|\(c\))|版权所有|©\s*\d{4}", _I), "copyright notice", 400),
    (re.compile(r"^\W*(版权[与和及]免责[声申]明|免责[声申]明|版权[声申]明|法律声明|disclaimer|copyright\s+(notice|statement)|legal\s+notice)\W*$", _I), "copyright/disclaimer heading", 40),
    (re.compile(r"[A-Z\u4e00-\u9fff]ICP[备证備證]|ICP\s*(No\.?|license|备案)|公网安备|\bICP\s*\d", _I), "site licence number", 200),
    # theme / platform credits
    (re.compile(r"\b(theme|template|site|website)\s+(by|designed by|powered by)\b|\bpowered\s+by\b|\bproudly\s+powered\b|\bdesigned\s+by\b.*\b(theme|studio|wordpress)\b|技术支持\s*[:：]|网站建设\s*[:：]", _I), "theme/platform credit", 160),
    # comment forms
    (re.compile(r"^\W*(leave\s+a\s+(reply|comment)|post\s+(a\s+)?comment|add\s+(a\s+)?comment|submit\s+comment|cancel\s+reply|reply\s+to\s+this|join\s+the\s+discussion|comments?\s+are\s+closed|发表评论|网友评论|我要评论|评论区|已有\s*\d+\s*条评论)\b", _I), "comment form", 120),
    (re.compile(r"your\s+email\s+address\s+will\s+not\s+be\s+published|required\s+fields\s+are\s+marked|save\s+my\s+name,?\s+email|notify\s+me\s+of\s+(new|follow)|you\s+must\s+be\s+logged\s+in\s+to\s+(post|comment)|\blogged\s+in\s+as\b|登录后(才能|方可)?(发表|评论)", _I), "comment form", 300),
    (re.compile(r"^\W*\d+\s+(thoughts?|comments?|responses?|replies)\s+(on|to)\b|^\W*\d+\s+(comments?|responses?|replies)\W*$|^\W*(comments?|评论)\s*[:：(（]?\s*\d+\s*[)）]?\W*$", _I), "comment counter", 40),
    # share and follow prompts
    (re.compile(r"sharing\s+more\s+people\s+see|^\W*(share\s*:|(share\s+(this|on|to|via)|follow\s+us|like\s+us\s+on|subscribe\s+to\s+our|sign\s+up\s+for\s+our\s+newsletter)\b)|^\W*(分享到|分享至|一键分享|关注我们|关注微博微信|扫一扫|扫描二维码|微信扫一扫|长按(识别)?二维码|点击关注|关注.{0,12}(微信|公众号|微博|平台)\W*$|二维码\W*$|connect\s+with\s+us\W*$)", _I), "share/follow prompt", 160),
    # site terms, feedback widgets, site sponsors
    (re.compile(r"转载请注明|转载请附上|转载请保留|原创文章.{0,20}转载|不代表本(网|站|网站)(的)?观点|违者必究|未经(本网|本站)?(书面)?(授权|许可).{0,12}(转载|复制|使用)|(本站|本网|本网站).{0,30}(法律责任|观点|授权|转载|版权)|请遵守.{0,40}(规定|法律|法规)"), "site terms/disclaimer", 200),
    (re.compile(r"\bwas\s+this\s+(page|article|information)\s+(helpful|useful)|^\W*(sponsored|hosted|organi[sz]ed|maintained)\s+by\s*(:|the\b)[^,，。]*$|^\W*(主办单位|承办单位|主办|承办|协办)\s*[:：]", _I), "site sponsor/feedback widget", 160),
    (re.compile(r"^\W*(posted|published|updated|written)\s+(on|by)\s+\S.{0,60}(?<![.!?。！？])$", _I), "metadata line", 80),
    # taxonomy lines of blogs and news sites
    (re.compile(r"^\W*(categories|category|tags?|filed\s+under|posted\s+in|keywords|标签|分类|关键词|关键字|栏目)\s*[:：]|"
                r"^\W*labels?\s*:(?!.*[.!?]\s*$)|^\W*showing\s+posts\s+with\s+(the\s+)?label\b", _I), "taxonomy line", 160),
    # in-article links and credits
    (re.compile(r"^\W*(read\s+more|see\s+also|related(\s+(articles?|stories|news|reading|posts?))?|more\s+on\s+this|recommended|延伸阅读|相关阅读|相关链接|推荐阅读|阅读原文|点击查看)\s*[:：>»]", _I), "related-links line", 160),
    (re.compile(r"^\W*(photo|image|picture|graphic|video)\s*(by|credit|source)?\s*[:：/]\s*\S.{0,60}(?<![.!?。！？])$|^\W*(图片来源|图片|摄影|视频来源)\s*[:：/]\s*\S.{0,30}$", _I), "photo credit", 90),
    # editor / author credits on their own line
    (re.compile(r"^\W*[（(][^()（）]{0,40}?(责任编辑|责编|编辑|审核|校对|editor|editors|edited\s+by|responsible\s+editor|responsibly)\s*[:：]?[^()（）]{0,60}[)）]\W*$", _I), "editor credit", 100),
    (re.compile(r"^[^()（）]{0,40}[（(]\s*(responsibl[ey]|responsible\s+editor|editors?|edited\s+by|责任编辑|责编|编辑)\s*[:：][^()（）]{0,60}[)）]\W*$", _I), "author/editor credit", 110),
    (re.compile(r"^\W*(责任编辑|责编|编辑|审核|校对|执行编辑)\s*[:：]\s*\S{1,20}(\s+\S{1,20}){0,3}\W*$"), "editor credit", 50),
    (re.compile(r"^\W*[（(]?\s*(責(\(\w+\))?任編(\(\w+\))?輯|責編|編輯|一审|一審)\s*[:：]\s*\S{1,20}(\s+\S{1,20}){0,5}\W*$"), "editor credit", 60),
    (re.compile(r"^\W*(editor|editors|edited\s+by|responsible\s+editor)\s*:\s*[\w .,'-]{1,60}$", _I), "editor credit", 70),
    # breadcrumbs, locations
    (re.compile(r"^\W*(当前位置|您的位置|你的位置|您现在的位置|所在位置|位置)\s*[:：]|^\W*you\s+are\s+here(\s*[:：>›»→]|\s*$|\s*(?-i:[A-Z]))|^\W*current\s+(location|position)\b|^\W*(home|首页|首頁|主页|主頁|网站首页|網站首頁)\s*[>›»→/＞]", _I), "breadcrumb", 160),
    # navigation odds and ends
    (re.compile(r"^\W*(skip\s+to\s+(the\s+)?(main\s+)?(content|navigation|menu)|back\s+to\s+top|return\s+to\s+top|返回顶部|回到顶部|打印本页|关闭窗口|【?\s*(打印|关闭)\s*】?|(上|下)一(篇|条|條|页|頁)\s*[:：].*|(previous|next)(\s+(post|article|story|page|news))?\s*[:：].*|(previous|next)\s+(post|article|story)\s*.*)\W*$", _I), "navigation link", 120),
    (re.compile(r"[【\[]\s*(字号|字体)\s*[:：]?\s*(大|中|小)|^\W*(font\s*size|text\s*size)\s*[:：]?\s*[A+-]", _I), "font-size widget", 60),
    (re.compile(r"(浏览次数|阅读次数|点击数|点击量|阅读量|浏览量)\s*[:：]?\s*\d*|\b(views|hits)\s*[:：]\s*\d+|number\s+of\s+(clicks|visits|views)\s*[:：]?\s*\d*", _I), "page counter", 120),
    # print / close tools, in either language ("【Print】 【Close】", "关闭×")
    (re.compile(r"^\W*(?:[【\[(（]?\s*(?:print|close|打印|关闭|打印本页|关闭窗口|打印此页)\s*[】\])）]?\s*[×xX]?\W*){1,3}$", _I), "page tool link", 40),
    # site tools: login boxes, favourites, forum controls, app prompts
    (re.compile(r"^\W*(member\s+login|user\s+registration|please\s+visit\b.{0,60}https?://|找回密码|立即注册|忘记密码|用户登录|登录/注册|加入收藏|设为首页|会员中心|我要投稿|复制链接|显示全部楼层|只看该作者|返回列表|查看原文|APP\s*下载|下载\s*APP|客户端下载|forgot\s+(your\s+)?password|sign\s+up\s+for\s+free|become\s+a\s+member|remember\s+me|subscribe\s*log\s*in)\b|发表于.{0,40}显示全部楼层|阅读模式\s*$|^\W*查看\s*[:：]\s*\d+\s*[|｜]\s*回复\s*[:：]\s*\d+", _I), "site tool link", 120),
    (re.compile(r"打开.{0,12}(app|客户端|新闻).{0,8}(查看|阅读|看)|^\W*(下载|打开).{0,12}(app|客户端)\W*$|^\W*[\w'’ ]{0,30}['’]s\s+[\w ]{0,20}\bapp\W*$|^\W*(download|get)\s+(the|our)\s+[\w ]{0,20}\bapp\b|^\W*(app)\s*[|｜]", _I), "app prompt", 60),
    # comment forms, more wordings
    (re.compile(r"^\W*please\s+enter\s+your\s+(name|comment|email|e-mail)|^\W*(发表回复|取消回复|回复\s*$|我来说两句|网友评论|评论\s*\(\s*\d+\s*\)|写评论)|click\s+here\s+to\s+(comment|reply|share|subscribe|read\s+more|download)|^\W*source\s+link\W*$", _I), "comment form", 80),
    # a row of social networks (share buttons)
    (re.compile(r"^(?:\W*(?:facebook|twitter|linkedin|weibo|wechat|whatsapp|email|e-mail|instagram|youtube|reddit|telegram|pinterest|微信|微博|新浪微博|qq空间|qq|豆瓣|icon|apple\s+news)\b\W*){3,}$|^\W*share\s*[-–—:|]\s*(wechat|weibo|facebook|twitter|linkedin|email)", _I), "share/follow prompt", 200),
    # date, comment count and an empty byline of blog themes; release lines; reading time; journalist credits
    (re.compile(r"^\W*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d+\s+by\W*$|^\W*released\s+on\s+\w+\.?\s+\d{1,2}(,?\s+\d{4})?\W*$|\b\d+\s+min(ute)?s?\s+read\W*$|^\W*(journalist|reporter|correspondent|photographer)s?\s+[A-Z][\w'-]+(\s+[A-Z][\w'-]+){0,3}\s*([(（][^)）]{1,12}[)）])?\W*$", _I), "metadata line", 90),
    # journal and document metadata
    (re.compile(r"(中图分类号|文献标识码|文章编号)\s*[:：]|^\W*doi\s*[:：]\s*10\.", _I), "metadata line", 120),
    # a picture's file name standing alone
    (re.compile(r"^[\w\s()\-.]{0,40}\.(jpe?g|png|gif|webp|bmp)\W*$|^\W*(image|photo|picture)\s+for\s+illustrative\s+purposes?\W*$", _I), "picture file name", 60),
    # contact blocks in page footers: two contact fields on one short line
    (re.compile(r"(电话|传真|邮箱|地址|邮编|tel|fax|e-?mail|address)\s*[:：].{1,60}\s(电话|传真|邮箱|地址|邮编|qq|tel|fax|e-?mail|address)\s*[:：]", _I), "contact details", 120),
    (re.compile(r"[【\[(（]?\s*(adjust\s+font\s+size|字体大小|字号)\s*[:：]", _I), "font-size widget", 80),
    # production and reporting credits of Chinese news pages, simplified and traditional ("策划丨X", "記者:X Y")
    (re.compile(r"^\W*(本报记者|本報記者|记者|記者|通讯员|通訊員|策划|策劃|监制|監制|制片|製片|编导|編導|统筹|統籌|出品|供稿|撰文|撰稿|"
                r"文字|摄影|攝影|摄像|攝像|剪辑|剪輯|校对|校對|审核|審核|终审|終審|主编|主編|编辑|編輯|责任编辑|責任編輯|讲师|講師|"
                r"作者|來源|来源|發布時間|发布时间|發布日期|時間|日期|关键词|關鍵詞|關鍵字|標籤|标签|文件编号|文件編號|发布机构|發布機構|"
                r"公开方式|公開方式|成文日期|发文单位|信息来源|信息來源|原文地址|文章转载自|文章轉載自)\s*[:：丨|｜]\s*\S.{0,60}$"), "metadata line", 80),
    (re.compile(r"^\W*(edited|produced|compiled|translated|reported|written|designed|developed|maintained|supported)\s+by\s+[\w .,'&-]{2,60}$|"
                r"^\W*(technical\s+support|produced\s+by|copy\s*editor|chief\s+editor|executive\s+editor|tel|fax|e-?mail|address|"
                r"post\s*code|hotline|phone)\s*[:：]", _I), "metadata line", 90),
    # a line with only a counter or a page number: share, view and comment counts, pagers
    (re.compile(r"^(?!\s*(?:19|20)\d{2}\s*$)[\s(（\[【]*\d{1,7}(?:[.,]\d{1,3})?\s*[kKwW万萬]?[\s)）\]】]*$|^\W*第\s*\d+\s*[页頁]\s*[/／]?\s*共\s*\d+\s*[页頁]\W*$|"
                r"^\W*page\s+\d+\s+of\s+\d+\W*$|^\W*(?:[【\[]\s*\d{1,3}\s*[】\]]\s*){2,}$|^\W*(?:\d{1,3}\s+){2,}\d{1,3}\W*(next|下一[页頁])?\W*$", _I),
     "counter or pager", 40),
]

_LONGEST_CUE = max(longest or 10**9 for _, _, longest in _CUES)

# Literal words (lower case; single words, so odd spacing cannot hide them) one of which an
# unanchored cue needs: one keyword scan per line skips the regexes that cannot match
# (anchored cues are cheap already).
_CUE_KEYWORDS: dict[str, tuple[str, ...]] = {  # keyed by a piece of the cue's pattern
    r"all\s+rights\s+reserved": ("rights", "copyright", "©", "(c)", "版权所有"),
    "ICP[备证備證]": ("icp", "公网安备"),
    r"(theme|template|site|website)\s+(by": ("theme", "template", "site", "powered", "designed", "技术支持", "网站建设"),
    r"your\s+email\s+address": ("email", "required", "save", "notify", "logged", "登录后"),
    r"sharing\s+more\s+people": ("shar", "follow", "like", "subscribe", "sign", "分享", "关注", "扫", "二维码", "connect"),
    "转载请注明": ("转载", "观点", "违者必究", "未经", "本站", "本网", "请遵守"),
    r"was\s+this\s+(page": ("helpful", "useful", "sponsored", "hosted", "organi", "maintained", "主办", "承办", "协办"),
    "[【\\[]\\s*(字号": ("字号", "字体", "size"),
    "(浏览次数": ("次数", "点击", "阅读量", "浏览量", "views", "hits", "number"),
    r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d+\s+by": ("by", "released", "min", "journalist", "reporter", "correspondent", "photographer"),
    "打开.{0,12}(app": ("打开", "下载", "app"),
    r"^\W*(member\s+login": ("member", "user", "visit", "找回密码", "立即注册", "忘记密码", "登录", "加入收藏", "设为首页", "会员中心", "我要投稿", "复制链接",
                     "显示全部楼层", "只看该作者", "返回列表", "查看", "app", "下载", "forgot", "sign", "member",
                     "remember", "subscribe", "阅读模式"),
    r"^\W*please\s+enter": ("please", "回复", "我来说两句", "评论", "click", "source"),
    "(中图分类号": ("中图分类号", "文献标识码", "文章编号", "doi"),
    r"(电话|传真|邮箱|地址|邮编|tel": ("电话", "传真", "邮箱", "地址", "邮编", "tel", "fax", "mail", "address"),
    "[【\\[(（]?\\s*(adjust": ("font", "字体大小", "字号"),
}


def _keywords_of(pattern: re.Pattern[str]) -> frozenset[str] | None:
    found = [words for key, words in _CUE_KEYWORDS.items() if key in pattern.pattern]
    assert len(found) <= 1, pattern.pattern
    return frozenset(found[0]) if found else None


_CUE_TABLE = [(p, r, longest, _keywords_of(p)) for p, r, longest in _CUES]
assert sum(kw is not None for *_, kw in _CUE_TABLE) == len(_CUE_KEYWORDS), "a keyword key matches no cue"
_KEYWORDS = sorted({w for ws in _CUE_KEYWORDS.values() for w in ws}, key=len, reverse=True)
_KEYWORD_RE = re.compile(_trie_pattern(_KEYWORDS))


try:
    from re import _constants as _sre_c, _parser as _sre_p  # the stdlib parser, to read the cues' patterns
except ImportError:  # Python < 3.11
    import sre_constants as _sre_c, sre_parse as _sre_p


def _is_head_char(ch: str) -> bool:
    r"""A first character the cue plans look up by: ASCII letters and digits, CJK Unified Ideographs (all \w)."""
    return ch.isascii() and ch.isalnum() or "\u4e00" <= ch <= "\u9fff"


def _head_chars(items: list, flags: int) -> frozenset[str] | None:
    """The characters a match of the pattern ``items`` may start with, where the line starts with a head character.

    ``items``: (op, argument, flags) of the parsed pattern, in order.  None when
    any head character may start it (or it may match nothing); the answer may hold
    characters that cannot start a match, never leave out one that can.
    """
    if not items:
        return None  # an empty match: no character needed
    op, av, fl = items[0]
    rest = items[1:]
    c = _sre_c
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero width (a lookaround's condition is left out: more, not less)
        return _head_chars(rest, flags)
    if op is c.LITERAL:
        return _chars_of([(op, av)], fl)
    if op is c.IN:
        return _chars_of(av, fl)
    if op is c.SUBPATTERN:
        _, add, drop, sub = av
        return _head_chars([(o, a, (fl | add) & ~drop) for o, a in sub] + rest, flags)
    if op is c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            got = _head_chars([(o, a, fl) for o, a in alt] + rest, flags)
            if got is None:
                return None
            out |= got
        return frozenset(out)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
        low, _, sub = av
        own = _head_chars([(o, a, fl) for o, a in sub], flags)
        if own is None or low > 0:
            return own
        after = _head_chars(rest, flags)
        return None if after is None else own | after
    return None  # anything else (any character, a back-reference...): any head character


def _chars_of(members: list, flags: int) -> frozenset[str] | None:
    """The head characters a character class (or a literal) matches; None for many or any."""
    c = _sre_c
    out: set[str] = set()
    for op, av in members:
        if op is c.LITERAL:
            out.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] <= 300:
            out.update(map(chr, range(av[0], av[1] + 1)))
        elif op is c.CATEGORY and av in (c.CATEGORY_DIGIT, c.CATEGORY_UNI_DIGIT):
            out.update("0123456789")  # the head characters among the digits
        elif op is c.CATEGORY and av in (c.CATEGORY_SPACE, c.CATEGORY_UNI_SPACE, c.CATEGORY_NOT_WORD, c.CATEGORY_UNI_NOT_WORD):
            pass  # no head character is a space or a non-word character
        else:
            return None  # a negated class, a large range, \w...
    if flags & re.IGNORECASE:  # a head character matches another only in ASCII (ideographs have no case)
        out |= {ch.swapcase() for ch in out if ch.isascii()}
    return frozenset(ch for ch in out if _is_head_char(ch))


class _CuePlan:
    """The cues that may judge a line of a given length, ready to run in table order.

    ``anchored``: one pattern, the alternation of the keyword-less cues (all anchored
    at the line start, checked here), each in a named group: its ``match`` finds the
    first of them that matches, since an alternation tries its branches in order.
    ``names`` maps a group to that cue's place in the table and its reason.
    :meth:`anchored_for` gives the same alternation without the cues that cannot
    start with a line's first character, when that is a letter, digit or ideograph.
    ``keyed``: the cues with keywords, as (place, pattern, reason, keywords); one
    of them comes first only from an earlier place.  ``ascii_keywords``: their
    keywords an ASCII line can hold.
    """

    def __init__(self, cues: list[tuple[int, re.Pattern[str], str, frozenset[str] | None]]):
        self.parts, self.names, self.keyed = [], {}, []
        for place, pattern, reason, keywords in cues:
            if keywords is not None:
                self.keyed.append((place, pattern, reason, keywords))
                continue
            tree = _sre_p.parse(pattern.pattern, pattern.flags)
            first = tree[0]
            branches = first[1][1] if first[0] is _sre_p.BRANCH else [[first]]
            assert all(list(b)[0] == (_sre_p.AT, _sre_p.AT_BEGINNING) for b in branches), pattern.pattern
            flags = "i" if pattern.flags & re.IGNORECASE else ""
            name = f"cue{place}"
            self.names[name] = (place, reason)
            heads = _head_chars([(op, av, pattern.flags) for op, av in tree.data], pattern.flags)
            self.parts.append((f"(?P<{name}>(?{flags}:{pattern.pattern}))" if flags else f"(?P<{name}>{pattern.pattern})", heads))
        self.anchored = self._alternation(tuple(part for part, _ in self.parts))
        self.by_head: dict[str, re.Pattern[str] | None] = {}
        self.ascii_keywords = tuple(w for w in _KEYWORDS if w.isascii() and any(w in kw for *_, kw in self.keyed))

    @staticmethod
    def _alternation(parts: tuple[str, ...]) -> re.Pattern[str] | None:
        return re.compile("|".join(parts)) if parts else None

    def anchored_for(self, ch: str) -> re.Pattern[str] | None:
        """The alternation of the keyword-less cues a line starting with ``ch`` may match (None: none)."""
        if not _is_head_char(ch):
            return self.anchored
        pattern = self.by_head.get(ch, False)
        if pattern is False:
            pattern = self.by_head[ch] = self._alternation(tuple(part for part, heads in self.parts if heads is None or ch in heads))
        return pattern


def _cue_plans() -> list[_CuePlan]:
    """A plan per line length up to ``_LONGEST_CUE`` (lengths between two cue limits share one)."""
    limits = sorted({longest for _, _, longest, _ in _CUE_TABLE if longest is not None} | {_LONGEST_CUE})
    plans, at = [], 0
    for limit in limits:
        plan = _CuePlan([(place, p, r, kw) for place, (p, r, longest, kw) in enumerate(_CUE_TABLE)
                         if longest is None or longest >= limit])
        plans += [plan] * (limit + 1 - at)
        at = limit + 1
    return plans


_CUE_PLANS = _cue_plans()  # by line length

# Metadata: label-colon-value fields; a line made of them is chrome whose values go to the record.
_META_FIELD = re.compile(
    r"(来源|作者|记者|通讯员|发布时间|发布日期|发表时间|时间|日期|评论|浏览|稿源|出处|阅读|点击|访问量|索引号|文号|发文字号|"
    r"发布机构|发文机构|主题分类|组配分类|信息分类|生成日期|发文日期|有效性|内容概述|所属栏目|信息来源|文档序号|"
    r"source|author|by|from|posted\s+(?:on|by|in)|published|updated|last\s+updated|release\s+date|date|time|reporter|writer|views|journalist|"
    r"created|发布于|來源|發布時間|發佈時間|發表時間|發布日期|發佈日期|點擊數|瀏覽次數|文章來源|作者|更新时间|更新時間|最後更新時間|最后更新时间|"
    r"新聞來源|新闻来源|hits|clicks)\s*[:：]",
    _I,
)
_META_WORDS = re.compile(r"^\W*(print|printer|close|email|e-mail|mail|share|打印|关闭|分享|纠错|收藏|一键转发)\W*$", _I)
_BYLINE = re.compile(r"^\W*(by|written\s+by|posted\s+by)\s+[A-Z][\w.'-]*(\s+[A-Z][\w.'-]*){0,3}\s*(\||,|$)", 0)

_ZH_WIDGETS = """关于作者 排行榜 热门排行 点击排行 点击排行榜 编辑推荐 热门推荐 热点推荐 相关推荐 新闻推荐 为您推荐 赞助推荐 智能推荐 精选 精选导读 精选 导读 热点 热门 热读 最新 精彩图片 推荐阅读
    相关阅读 相关新闻 相关文章 相关链接 热点新闻 热门新闻 热门文章 最新消息 最新文章 最新资讯 精彩推荐 猜你喜欢 热门标签 标签 全部
    本月 本周 今日 今天 24小时 一周 网站地图 联系我们 关于我们 首页 网站首页 导航 友情链接 图片新闻 专题 视频 更多 更多>> 加载更多
    阅读全文 查看更多 返回 返回首页 推荐内容 相关内容 热门资讯 热点资讯 最新动态 往届回顾 会员注册 会员登录 资源描述 政务公开 政府信息公开
    政务服务 政民互动 互动交流 办事服务 网上办事 智能问答 无障碍浏览 无障碍 长者模式 关怀版 适老化 手机版 移动版 网站导航 站内搜索 高级搜索
    微信公众号 微信公眾號 官方微博 官方微信 官方抖音 新浪微博 即日新闻 最Hit 新聞關鍵字 新闻关键字 廣告 广告 連結 链接
    相关报道 相关资讯 相关专题 延伸阅读 参与评论 所有评论 全部评论 最新评论 热门评论 我要评论 发表评论 网友评论 查看评论 评论 点赞
    转发 回到顶部 返回顶部 回顶部 回页首 返回列表 返回上一页 登录 注册 退出 退出登录 登入 注册登录 登录注册 投诉 举报 我要纠错 我要投稿 投稿
    上一篇 下一篇 上一条 下一条 上一页 下一页 尾页 末页 搜索 扫码关注 扫一扫 电脑版 触屏版 展开全文 查看全文 点击加载更多 阅读原文 查看原文
    点击查看原文 隐私政策 隐私条款 用户协议 服务条款 使用条款 广告服务 广告合作 招聘信息 合作伙伴 意见反馈 帮助中心 订阅 收起 展开 置顶 热搜
    阅读排行 评论排行 24小时热门 一周热门 小程序 公众号 视频号 抖音号 留言 留言板 网友留言 分享按钮 客户端 下载客户端 下载APP 打开APP APP下载
    客户端下载 版权声明 免责声明 版权所有 加入会员 会员登入 追踪我们 粉丝专页 看更多 更多新闻 责任编辑 责编 编辑
    图片 点击播放 全屏 加载中 查看大图 点击查看大图 关注 +关注 已关注 举报/反馈 打开今日头条查看图片详情 滑动查看更多 向上滑动看下一个
    返回搜狐,查看更多 返回搜狐，查看更多 跳到主要内容区块 跳到主要内容 评论一下 我来说两句
    友善列印 列印 菜单 字级 大字 中字 小字 请使用浏览器分享功能进行分享 气温 降雨 降雨概率 空气质量 aqi 湿度 风力 个人资料 正在加载中 限制级
    分享让更多人看到 微信 微博 qq空间 qq 手机看 用户名 密码 验证码 立即登录 免费注册 记住我 发表 提交评论 匿名发表 文明上网理性发言
    请遵守新闻跟帖服务协议 登录后参与评论 原文链接 精彩评论 栏目导航"""
# the entries above as OpenCC writes them in Traditional Chinese (s2t, s2tw, s2hk, s2twp; a test checks the list is whole)
_ZH_WIDGETS_TRADITIONAL = """責任編輯 責編 編輯 相關報導 隱私權政策 +關注 24小時 24小時熱門 APP下載 qq空間 一週 一週熱門 上一條 上一頁 下一條 下一頁 下載APP 下載客戶端 下載客户端 互動交流 使用條款 使用者協議
    使用者名稱 個人資料 免責宣告 免責聲明 免費註冊 全部評論 公眾號 公衆號 分享按鈕 分享讓更多人看到 加入會員 加載中 加載更多 匿名發表 即日新聞 原文連結 原文鏈接 參與評論 友情連結 友情鏈接 向上滑動看下一個
    回到頂部 回頁首 回頂部 圖片 圖片新聞 字級 客戶端 客戶端下載 客户端下載 密碼 專題 導航 導讀 小程式 尾頁 展開 展開全文 已關注 幫助中心 廣告合作 廣告服務 延伸閱讀 延伸閲讀 影片 影片號 往屆回顧
    微信公衆號 意見反饋 我來說兩句 我來説兩句 我要糾錯 我要評論 所有評論 手機版 手機看 打開APP 打開今日頭條查看圖片詳情 投訴 抖音號 招聘資訊 掃一掃 掃碼關注 推薦內容 推薦閱讀 推薦閲讀 提交評論 搜尋
    政務公開 政務服務 政府信息公開 政府資訊公開 政民互動 文明上網理性發言 新聞推薦 智慧問答 智慧推薦 智能問答 智能推薦 更多新聞 最新動態 最新訊息 最新評論 最新資訊 會員登入 會員登錄 會員註冊 服務條款 末頁
    本週 查看大圖 查看評論 標籤 檢視全文 檢視原文 檢視大圖 檢視更多 檢視評論 欄目導航 正在加載中 正在載入中 氣温 氣溫 溼度 滑動查看更多 滑動檢視更多 濕度 為您推薦 無障礙 無障礙瀏覽 熱搜 熱讀 熱門
    熱門排行 熱門推薦 熱門文章 熱門新聞 熱門標籤 熱門評論 熱門資訊 熱點 熱點推薦 熱點新聞 熱點資訊 爲您推薦 版權宣告 版權所有 版權聲明 猜你喜歡 用戶協議 用戶名 用户協議 登入後參與評論 登入註冊 登錄
    登錄後參與評論 登錄註冊 發表 發表評論 相關內容 相關報道 相關專題 相關推薦 相關文章 相關新聞 相關資訊 相關連結 相關鏈接 相關閱讀 相關閲讀 移動版 空氣質量 立即登入 立即登錄 站內搜尋 站內搜索 粉絲專頁
    精彩圖片 精彩推薦 精彩評論 精選 精選導讀 網上辦事 網友留言 網友評論 網站地圖 網站導航 網站首頁 編輯推薦 置頂 聯絡我們 聯繫我們 舉報 舉報/反饋 菜單 視頻 視頻號 觸屏版 訂閱 訂閲 記住我 註冊
    註冊登入 註冊登錄 評論 評論一下 評論排行 請使用瀏覽器分享功能進行分享 請遵守新聞跟帖服務協議 資源描述 贊助推薦 跳到主要內容 跳到主要內容區塊 載入中 載入更多 轉發 辦事服務 返回上一頁 返回搜狐,檢視更多
    返回搜狐，檢視更多 返回頂部 返回首頁 追蹤我們 退出登入 退出登錄 適老化 選單 鏈接 長者模式 開啟APP 開啟今日頭條檢視圖片詳情 閱讀全文 閱讀原文 閱讀排行 閲讀全文 閲讀原文 閲讀排行 關懷版 關於作者
    關於我們 關注 降雨機率 限制級 隱私政策 隱私條款 電腦版 風力 首頁 驗證碼 高級搜索 高階搜尋 點擊加載更多 點擊排行 點擊排行榜 點擊播放 點擊查看原文 點擊查看大圖 點贊 點選排行 點選排行榜 點選播放
    點選檢視原文 點選檢視大圖 點選載入更多"""
_EN_WIDGETS = """related posts|related articles|related stories|related news|related information|related recommendations|
    similar news|more news|in focus|archive|connect with us|recent posts|recent comments|popular posts|
    most read|most popular|most viewed|tags|tag|categories|category|archives|search|search for|menu|main menu|navigation|
    home|read more|continue reading|you may also like|you might also like|trending|latest news|top stories|editor's picks|
    editors' picks|featured|advertisement|sponsored|about us|contact us|contact|site map|sitemap|privacy policy|
    terms of use|terms and conditions|accessibility|feedback|subscribe|newsletter|login|log in|sign in|register|rss|
    print|close|share|email|more|load more|follow|related|links|useful links|quick links|important links|
    we recommend|selections for you|recommended for you|recommended content|recommended|today's top news|top news|hot topics|
    hot news|similar posts|similar articles|off the wire|fast facts|the latest|latest|next article|the next article|
    previous article|the previous article|editor's choice|don't miss|must read|more from|more stories|popular|photos|videos|
    photo|chinese|english|connected content|article search|company news|news|top|back|chinese simplified|комментарии|
    table of contents|top of page|related content|related links|related topics|related coverage|trending now|most shared|
    recommended stories|read next|latest stories|latest posts|comments|comment|post a comment|add a comment|leave a comment|
    cancel reply|share this|share this article|share this story|share on facebook|share on twitter|tweet|print this page|
    print article|back to top|go to top|scroll to top|logout|log out|subscribe now|sign up|skip to content|
    skip to main content|skip to navigation|toggle navigation|privacy|terms of service|cookie policy|cookie settings|
    advertise|advertise with us|careers|previous|next|previous post|next post|older posts|newer posts|view all|see all|
    see more|show more|view more|sponsored content|font size|text size|email address|website|submit|post comment|
    accept cookies|accept all|reject all|help|faq|whatsapp|wechat|weibo|linkedin|facebook|twitter|reddit|pinterest|
    instagram|youtube|telegram|copy link|link copied|listen to this article|download app|download the app|
    select language|language|also read|see also|read also|click here|story continues below|article continues below|
    continue reading below|image|video|enlarge|full screen|view gallery|skip ad|watch|bookmark|copied|play|pause|
    no comments|copy link copied|undefined|null|in this article|select page|to main area|image_pdfimage_print|
    fontlarger fontsmaller|article author|your browser doesn't support html5 video|your browser does not support the video tag|
    read full article|in this section|nnnn|newer post|older post|newer post older post home|post comments (atom)|
    subscribe to: post comments (atom)|blog archive|about me|view my complete profile|theme images by|search this blog|followers|
    δ|reply|log in to reply|rate this|like this|like loading|type your email|
    email thisblogthis!share to twittershare to facebookshare to pinterest|
    новости партнёров"""
_WIDGET_TITLES = frozenset(w.lower() for w in (_ZH_WIDGETS + " " + _ZH_WIDGETS_TRADITIONAL).split()) | frozenset(
    w.strip() for w in _EN_WIDGETS.split("|"))  # lower case, as the key looked up

_LANGS = r"(english|chinese\s*\((?:gb|big5)\)|chinese|中文|简体中文|简体|繁體中文|繁體|繁体|español|espanol|français|francais|deutsch|русский|日本語|한국어|العربية|português|italiano)"
_LANG_SWITCH = re.compile(rf"^\W*{_LANGS}(\s*[|/·•,]?\s*{_LANGS})+\W*$", _I)

_ZH_SPACED_MENU = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:[ \u3000]+[\u4e00-\u9fff]{2,4}){3,}$")
# The commonest Chinese surnames, simplified and traditional: a row of two- or three-character
# items that all open with one is a list of names (authors), not a menu.
_SURNAMES = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅高郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程"
    "苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬"
    "钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧"
    "尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古"
    "吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党黨宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師和仇栾欒隋商刁"
    "沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺普")


def _names_only(s: str) -> bool:
    """Every item of a space-separated row is two or three characters opening with a common surname.

    >>> _names_only("張三豐 李四光 王五 趙六"), _names_only("首页 新闻 政务 服务")
    (True, False)
    """
    items = s.split()
    return all(2 <= len(w) <= 3 and w[0] in _SURNAMES for w in items)


_SEPARATOR_CHARS = (">", "›", "»", "→", "＞", "|", "｜", "·", "•", "/", "\t", "   ")
_SEPARATORS = re.compile(r"\s*(?:>>|[>›»→＞|｜]|\s[·•]\s|^[·•]\s|\s/\s|\s{3,}|\t)\s*")  # '·' inside a name (唐纳德·特朗普) is no separator
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|\d+")
_BULLET = re.compile(r"^\s*([•·●○■□◆◇▪▫►▶✓✔\-–—*]|\d{1,2}[.、)]|[（(]\d{1,2}[)）]|[①-⑳])\s*")
_SYMBOL_BULLETS = "•·●○■□◆◇▪▫►▶-–—*"  # list marks that are no number (of _BULLET, bar the ticks)
_ENUM_ITEM = re.compile(r"^\s*([①-⑳]|[（(]?\d{1,2}[)）.、]|[一二三四五六七八九十][、.])\s*")
_CONTACT = re.compile(r"(电话|传真|邮箱|电子邮件|邮编|地址|热线|e-?mail|tel|phone|fax|address|postcode|zip)\s*[:：]", _I)


_SENTENCE_END_CHARS = frozenset(".!?。！？")


def _ends_sentence(s: str) -> bool:
    """True when the last non-space character ends a sentence (regex ``[.!?。！？]\\s*$``)."""
    return s.rstrip()[-1:] in _SENTENCE_END_CHARS


_ANY_SEPARATOR = re.compile("|".join(re.escape(c) for c in _SEPARATOR_CHARS))  # any(c in s for c in _SEPARATOR_CHARS)
_META_FIELD_AT_START = re.compile(r"^\W*" + _META_FIELD.pattern, _I)
_SENTENCE_INSIDE = re.compile(r"[。!?！？]\s*\S|\.\s+\S")  # "example.gov.cn" ends no sentence
_BODY_PUNCT = re.compile(r"[.!?。！？,，]")

_NAV_REASONS = frozenset({"breadcrumb", "navigation menu", "language switcher", "navigation link", "widget heading", "page tool link"})


def _units(text: str) -> float:
    """Length in "words": an English word or ~2 Chinese characters (long lines: a lower bound)."""
    if len(text) > 320:
        return 100.0  # more than any threshold used here
    return len(_WORD.findall(text)) + han_count(text) / 2


def _norm_key(line: str) -> str:
    """The line with its spaces collapsed, lower-cased (regex ``\\s`` and str.split agree on spaces)."""
    if "  " not in line and line.isprintable():
        return line.strip().lower()  # its only spaces are single ASCII spaces (other spaces are not printable)
    return " ".join(line.split()).lower()


def _is_breadcrumb_or_menu(line: str, units: _Units | None = None) -> str | None:
    """Separators between short items: breadcrumb ('A > B > C') or menu ('A | B | C', '首页 新闻 政务 服务')."""
    s = line.strip()
    if len(s) > 200:
        return None
    if _ZH_SPACED_MENU.match(s) and not _names_only(s):
        return "navigation menu"
    if _LANG_SWITCH.match(s):
        return "language switcher"
    if not _ANY_SEPARATOR.search(s):
        return None
    items = [p for p in _SEPARATORS.split(s) if p.strip()]
    if len(_SEPARATORS.findall(s)) < 2 or len(items) < 2:
        return None
    if _ends_sentence(s):
        return None  # a sentence, however many separators
    if units is None:
        units = _Units()
    if any(units[p] > 6 for p in items):
        return None
    if any(ch in s for ch in ">›»→＞"):
        return "breadcrumb"
    if len(items) >= 3:
        return "navigation menu"
    return None


def _reversed_alternation(pattern: str) -> str:
    """The alternation ``pattern`` (words, ``\\s+``, ``(?:a|b)`` groups) matching each word spelt backwards."""
    alts, depth, cur = [], 0, ""
    for ch in pattern:  # split at the top-level bars
        if ch == "|" and depth == 0:
            alts.append(cur)
            cur = ""
            continue
        depth += (ch == "(") - (ch == ")")
        cur += ch
    alts.append(cur)
    out = []
    for alt in alts:
        tokens = re.findall(r"\\s\+|\(\?:[^()]*\)|.", alt)
        assert "".join(tokens) == alt, alt
        out.append("".join("(?:" + _reversed_alternation(t[3:-1]) + ")" if t.startswith("(?:") else t if t == r"\s+" else t
                           for t in reversed(tokens)))
    return "|".join(out)


_META_LABELS = _META_FIELD.pattern[1:_META_FIELD.pattern.index(r")\s*[:：]")]
assert _META_FIELD.pattern == "(" + _META_LABELS + r")\s*[:：]"
# A field ends at a colon; read backwards from each colon, the spaces and a label spelt backwards.
_META_FIELD_BACKWARDS = re.compile(r"\s*(?:" + _reversed_alternation(_META_LABELS) + ")", _I)
_COLON = re.compile("[:：]")


def _metadata_fields(line: str) -> int:
    """``len(_META_FIELD.findall(line))``: the colons with a field label right before them.

    A label holds no colon, so each field found ends at its own colon: looking
    backwards from each colon counts the same fields without a search from every
    character.
    """
    if ":" not in line and "：" not in line:
        return 0
    backwards, n = line[::-1], len(line)
    return sum(1 for m in _COLON.finditer(line) if _META_FIELD_BACKWARDS.match(backwards, n - m.start()))


def _is_metadata(line: str, units: _Units | None = None) -> bool:
    """A line of label: value fields (source, author, date...), not a sentence."""
    s = line.strip()
    if units is None:
        units = _Units()
    n = _metadata_fields(s)
    if n == 0:
        return bool(_BYLINE.match(s)) and units[s] <= 8 and not _ends_sentence(s)
    if n >= 2 and units[s] <= 40:
        return True
    if _DATE.search(s) and units[s] <= 16:
        return True  # a dateline with a source or author beside it
    # one field: the line must start with it and be short
    return bool(_META_FIELD_AT_START.match(s)) and units[s] <= 16 and not _SENTENCE_INSIDE.search(s)



# Short chrome the cue table does not name, each a kind the labelling rule lists.
_BY_LABEL = re.compile(r"^\W{0,3}by\s+(?:[(（][\w.-]+[)）]|[^\W\d_][\w.'’-]*(?:\s+(?:&\s+|and\s+)?[^\W\d_][\w.'’-]*){0,5}"
                       r"(?:\s*[(（][\w. -]+[)）])?)\W*$", _I)
_SOURCE_LABEL = re.compile(r"^\W*(本文来源|文章来源|稿件来源|新闻来源|内容来源|本文作者|文章作者|原文作者|"
                           r"初审编辑|复审编辑|终审编辑|值班编辑|初审|复审|终审|审校|编审|监审)\s*[:：]")
_SLASH_CREDIT = re.compile(r"^\W*(文|图|文图|图文|文字|撰文|摄影|记者)\s*[/／]\s*\S")
_END_MARK = re.compile(r"^\W*(end|the\s+end)\W*$", _I)
_JOURNAL_ISSUE = re.compile(r"^[^\W\d_]{2,24}\s*(?:19|20)\d{2}\s*年\s*(?:第\s*)?\d{1,2}\s*期\W*$")
_DATE_NAMES = re.compile(r"^(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s*\d{1,2}:\d{2})?[\u4e00-\u9fff]{2,16}$")  # date and authors run together
_WEATHER = re.compile(r"^\W*-?\d{1,3}\s*°?\s*[FC℃]\s*[~～/-]\s*-?\d{1,3}\s*°?\s*[FC℃]\W*$|"
                      r"^\W*[NSEW]{1,3}\s+at\s+\d+\s*(?:km/h|mph)\W*$|^\W*view\s+weather\s+details?\W*$", _I)
_FRAGMENT = re.compile(r"^\W*(on|by|at|published|posted|updated)\W*$|^(?!([*=—─_~-])\2{4,}$)[^\w\u4e00-\u9fff]{1,20}$", _I)  # or only symbols (not a rule line: "*****")
_REPORTERS_SLASH = re.compile(r"(記者|记者)\s*[\u4e00-\u9fff·]{2,4}\s*[／/]\s*\S{0,8}(報導|报道)\W*$")  # "某某報／記者某某／即時報導"
_REPORTERS = re.compile(r"^\W*\S{0,12}?(本报记者|记者|通讯员)\s+[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4}){0,5}(?:\s+\S{0,6}报道)?(?:\s+来源\s*[:：]\s*\S{1,12})?(?<![摄攝])\s*$")
_SOURCE_DATE = re.compile(r"^\W*[\u4e00-\u9fff]{1,12}(日报|晚报|早报|时报|商报|新闻网|新闻|网|电视台|广播电视台)\s*"
                          r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*(大字|小字|字号|大|中|小)){0,3}\W*$")
_DOC_NUMBER = re.compile(r"^\W*[\u4e00-\u9fff]{1,10}[〔\[［(（](?:19|20)\d{2}[〕\]］)）]\s*(?:第\s*)?\d{1,4}\s*号\W*$")  # 某政办函〔2020〕12号
_LANG_ITEM = re.compile(r"(?:^|\s)(?:English|Русская версия|Русский|Français|Español|Deutsch|日本語|한국어|繁體|繁体版|简体版|中文版)(?:\s|$)")
_CAMEL = re.compile(r"[a-z][A-Z]")
_LANGUAGE_WORDS = frozenset("english chinese french german japanese korean russian spanish arabic portuguese italian".split())


def _lower_words(s: str) -> bool:
    """Whether ``s`` holds an English word in lower case other than a language's name: a title or a
    sentence, not a row of links ("9 - Not everyone in China speaks English")."""
    return any(w.isascii() and w.isalpha() and w.islower() and len(w) >= 2 and w not in _LANGUAGE_WORDS for w in s.split())
_LIST_PUNCT = re.compile(r"[,.!?;:]")
_INDEX_NUMBER = re.compile(r"^\W*\d{6,}/(?:19|20)\d{2}-\d{2,}\W*$")  # a government page's index number standing alone
_FONT_WIDGET = re.compile(r"^\W*(字号|字体|字體)\s*[:：]?\W*$|(字体|字體)(显示|顯示)?\s*[:：]\s*[【\[]\s*大")
_SPAM = re.compile(r"体育app|365bet|bet365|365体育|365app|彩票|娱乐城|棋牌|百家乐|博彩|网投|太阳城|葡京|威尼斯人|真人视讯|"
                   r"精品影视|在线视频观看|爱上海|(?<!\d)419(?!\d)|熟妇|少妇|人妻|无码|[aａ]片|高潮|波多野|一区二区|[二三]区|在线观看|免费观看|"
                   r"久久|国产精品|精品视频|成人(视频|网站|电影)|黄色(视频|网站)|色情|bdsm|伊人|大香蕉|香蕉视频|蜜桃|中文字幕|夜夜|日韩|无码|亚洲精品|(?<![a-z])av(?![a-z])", _I)
_SPAM_PIECES = re.compile(r"[_,，、|｜\s-]+")
_SPACED_HAN = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff](?![\u4e00-\u9fff]))+")
_GOV_FIELD = re.compile(r"^\W*(索引号|发布机构|发文机构|发文日期|成文日期|发布日期|发文字号|主题分类|组配分类|信息分类|体裁分类|"
                        r"有效性|公开方式|公开范围|效力状态|生效日期|名称|分类|主题词|文件名称|公开目录|公开责任部门|公开形式|内容概述|文号)\s")
_CREDIT_LABEL = re.compile(r"^\W*(编辑|记者|视觉|摄影|摄像|校对|审核|责编|美编|制作|监制|统筹)\s*[:：|｜]")
_GOV_FIELD_START = frozenset("索发成主组信体有公效生名分文内")
_BRACKET_LABEL = re.compile(r"^\s*[\[【]\s*(关键词|關鍵詞|中图分类号|文献标识码|文章编号|作者|来源|來源)\s*[\]】]\s*")
_PINYIN_NOTE = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# More phrase cues seen on real pages: (literals one of which the lower-cased line must hold, pattern, reason, longest line)
_MORE_CUES: list[tuple[tuple[str, ...], re.Pattern[str], str, int]] = [
    (("观点", "觀點", "上传并发布", "上傳並發布", "信息存储", "版权", "版權", "uploaded", "storage", "views", "ai辅助", "内容提示"),
     re.compile(r"(仅|僅)代表作者(个人|個人|本人)?(观点|觀點)|(观点|觀點)(仅|僅)代表作者|(本平台|搜狐|网易)?仅提供信息存储|(用户|用戶)(上传|上傳)(并|並)(发布|發布)|"
                r"如涉及.{0,20}(版权|版權).{0,40}(联系|聯系|聯繫)|uploaded\s+and\s+posted\s+by\s+a\s+user|"
                r"only\s+provides\s+information\s+storage|do(es)?\s+not\s+(necessarily\s+)?(represent|reflect)\s+the\s+views|"
                r"内容(疑似)?由\s*ai\s*辅助生成|社区内容提示", _I), "site terms/disclaimer", 300),
    (("字号", "字体", "medium", "l m s", "print"),
     re.compile(r"字号变[大小]|^\W*[【\[]\s*字体\s*[:：]|\blarge\s+medium\s+small\b|\bl\s+m\s+s\W*$|^\W*print\s+(mail|e-?mail)\b", _I),
     "font-size widget", 100),
    (("本文", "原文", "链接", "复制", "地址"),
     re.compile(r"^\W*(本文链接|原文链接|本文地址|文章链接|原文地址|本文标题|文章标题)\s*[:：]|(点此)?复制本页(地址|链接)"), "page address line", 200),
    (("版",), re.compile(r"^\W*(当前版面?|第\s*[a-z]?\d{1,3}\s*版)(\s*[:：].*|[^\w。，,]*|\s+\S{1,12})$", _I), "metadata line", 40),
    (("xinhua", "reuters", "afp", "chinadaily", "china daily", "cgtn", "global times", "people's daily", "ecns"),
     re.compile(r"^\W*\(?\s*(xinhua|reuters|afp|chinadaily\.com\.cn|china\s+daily|cgtn|global\s+times|people's\s+daily(\s+online)?|ecns|"
                r"(ecns|xinhua|chinadaily)(\.cn|\.com(\.cn)?|net))"
                r"\s*\)?\s*,?\s*(\d{1,2}:\d{2}\s*,?\s*)?(" + _MONTH + r"\s+\d{1,2},?\s+\d{4}|\d{4}-\d{1,2}-\d{1,2})?\W*$", _I),
     "source line", 80),
    (("time", "view", "by", "translat", "source", "article"),
     re.compile(r"^\W*(time\s+of\s+issue|release\s+time|page\s*views?|reviewed\s+by|supervised\s+by|translator|translated\s+by|"
                r"proofread\s+by|(chinese|english)\s+source|source\s+of\s+(the\s+)?article)\s*[:：]|"
                r"^\W*this\s+article\s+is\s+(from|reproduced\s+from|reprinted\s+from)\b", _I), "metadata line", 120),
    (("popular", "trending", "most", "latest", "more from"),
     re.compile(r"^\W*(popular|trending|most\s+read|most\s+popular|latest|more)\s+(on|in|from)\s+[\w .'’-]{2,40}$", _I), "widget heading", 60),
    (("signing up", "comment", "download", "know more", "click to"),
     re.compile(r"\bby\s+signing\s+up,?\s+you\s+agree|^\W*add\s+(your|a)\s+comment\W*$|^\W*(to\s+)?download\s+.{0,30}\bapp\b|"
                r"^\W*want\s+to\s+know\s+more\?|\bclick\s+to\s+(watch|view|read|see)\b", _I), "site prompt", 100),
    (("<", "«", "‹", ">", "»", "›"),
     re.compile(r"^\W*[<«‹]\s*\d{1,3}(\s+\d{1,3})+\W*$|^\W*\d{1,3}(\s+\d{1,3})+\s*[>»›]\W*$"), "counter or pager", 30),
    (("首页", "home"), re.compile(r"^\W*\d{1,2}[.、]\s*(首页|home)\s*[>›»→/＞]", _I), "breadcrumb", 160),
    (("位置",), re.compile(r"^\W*(您当前的位置|当前的位置|您現在的位置|您现在所在的位置|當前位置|您的位置)\s*[:：]"), "breadcrumb", 160),
    (("扫一扫", "分享", "朋友圈"), re.compile(r"扫一扫.{0,12}分享|分享给您的微信好友|分享到朋友圈|即可将网页分享"), "share/follow prompt", 60),
    (("放大", "上一版", "下一版"), re.compile(r"放大\s*缩小|上一版|下一版"), "e-paper page tools", 60),
    (("许可证", "备案号", "運維", "运维", "合作支持", "热线", "熱線"),
     re.compile(r"许可证\s*[:：]|经营许可证|备案号\s*[:：]|^\W*(网站运维|網站運維|合作支持|新闻热线|新聞熱線)\s*[:：]"), "site licence number", 200),
    (("本站", "本媒", "本网", "本網", "原作者", "侵权", "侵權"),
     re.compile(r"(本站|本媒体|本媒體|本网|本網)部分(图文|圖文|图片|圖片|文章|内容|內容)|(版权|版權)(归|歸)原作者所有|如有(侵权|侵權)"),
     "site terms/disclaimer", 300),
    (("举报", "登录", "论文", "推荐资讯", "文章标题"),
     re.compile(r"^\W*(内容)?举报\W*$|需先登录|登录后(查看|可见)|论文部分内容阅读|^\W*推荐资讯\W*$|^\W*文章标题\s*[:：]\s*$"), "site chrome", 40),
    (("官方网站", "官方網站", "门户网站", "門戶網站", "频道"),
     re.compile(r"(官方网站|官方網站|门户网站|門戶網站|在线\S{2,6}频道)\W*$"), "site name", 20),
    (("相关", "推荐"), re.compile(r"^\W*(相关阅读|相关推荐|推荐阅读|热门推荐|相关文章|相关新闻).{0,8}$"), "widget heading", 20),
    (("correspondent", "reporter", "journalist"),
     re.compile(r"^(?:[A-Z][\w'’-]*\s+){1,8}(Correspondent|Reporter|Journalist)s?\s+[A-Z][a-z]+(\s+[A-Z][a-z]+){0,2}$"), "reporter credit", 80),
    (("by", "#"), re.compile(r"^\W*by\s+" + _MONTH + r"\s+\d{1,2},?\s+\d{4}\b|^\W*" + _MONTH + r"\s+\d{1,2},?\s+\d{4}\s*#\w", _I),
     "metadata line", 60),
    (("weather",), re.compile(r"^\W*[A-Z][\w'’-]+\s+[Ww]eather\W*$"), "weather widget", 30),
    (("-->", "<!--", "<"), re.compile(r"-->\s*$|^\s*<!--|^\s*(<\/?[a-z][^>]*>\s*)+$", _I), "markup residue", 120),
    (("-", ":"), re.compile(r"(?<![\d-])(19|20)\d{2}-\d{1,2}-\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?\s+\d{1,7}\W*$"), "metadata line", 60),
    (("date ",), re.compile(r"^\W*date\s+(19|20)\d{2}-\d{1,2}-\d{1,2}(\s+[\w&/-]+){1,3}\W*$", _I), "metadata line", 50),
    (("utc", "gmt", "beijing time", "℃"),
     re.compile(r"^\W*[\d:\s,/-]*(utc\s*[+-]\s*\d{1,2}|gmt)[\d:\s,/-]*\s+\d{1,7}\W*$|^\W*(19|20)\d{2}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(:\d{2})?\s+\d{1,7}\s*℃\W*$|"
                r"\d{1,2}:\d{2}(:\d{2})?\s*gmt.{0,40}beijing\s+time", _I), "metadata line", 120),
    (("imaginechina", "ti gong", "/ shine", "getty images", "vcg", "cfp"),
     re.compile(r"^\W*(imaginechina|ti\s+gong|getty\s+images|vcg|cfp)\W*$|^[A-Z][a-z]+(\s+[A-Z][a-z]+){0,2}\s*/\s*(SHINE|Xinhua|IC|VCG|CFP|CGTN|China Daily)\W*$", _I),
     "photo credit", 40),
    (("commenting using", "fill in your details", "click an icon to log in"),
     re.compile(r"fill\s+in\s+your\s+details\s+below|you\s+are\s+commenting\s+using|click\s+an\s+icon\s+to\s+log\s+in", _I), "comment form", 160),
    (("prev", "next"), re.compile(r"^\W*prev(ious)?(\s+page)?\W*(\d{1,3}\W*)*next(\s+page)?\W*$", _I), "navigation link", 60),
    (("print", "rss", "download", "comment", "打印", "收藏"),
     re.compile(r"^\W*((19|20)\d{2}-\d{1,2}-\d{1,2}\W+)?((print|rss|e-?mail|share|close|comment|download|打印|关闭|分享|收藏|评论)\W*){2,}$", _I), "page tool row", 60),
    (("not supported", "recommend", "browser"),
     re.compile(r"^\W*ie\s*\d+\s+not\s+supported|we\s+recommend\s+(using\s+)?(the\s+latest\s+)?(chrome|firefox|safari|edge)|"
                r"(upgrade|update)\s+your\s+browser|browser\s+(is\s+)?(not\s+supported|out\s+of\s+date)|"
                r"your\s+browser\s+(does\s*not|doesn['’]t)\s+support", _I), "browser notice", 120),
    (("ctrl", "书签", "订阅", "阅读", "版权归", "字号"),
     re.compile(r"ctrl\s*\+\s*d|(保存|加入)(为)?书签|您已阅读\s*\d+\s*%|订阅以继续|版权归.{1,20}所有|^\W*设置字号", _I), "site chrome", 200),
    (("opinions expressed", "not verified", "vouch", "reporting by", "editing by", "writing by"),
     re.compile(r"opinions\s+expressed\s+(herein|here|in\s+this\s+\w+)\s+are|has\s+not\s+verified\s+this\s+story|does\s+not\s+vouch\s+for|"
                r"\(((additional\s+)?reporting|writing|editing)\s+by\s+[^)]{2,80}\)\W*$", _I), "agency credit/disclaimer", 300),
    (("contact us", "@"), re.compile(r"^\W*(please\s+)?contact\s+us(\s+at)?\W*$|^\W*[\w.+-]+@[\w-]+(\.[\w-]+)+\W*$", _I), "contact details", 60),
    (("interested", "recommended", "preview news", "推荐", "links:"),
     re.compile(r"^\W*(maybe\s+you('re|\s+are)|you\s+may\s+be)\s+interested|^\W*recommended\s+[\w ]{0,24}[:：]|^\W*preview\s+news\s*[:：]|"
                r"^[\u4e00-\u9fff ]{0,12}推荐\W*$|^\W*links\s*:", _I), "widget heading", 120),
    (("follow", "qr code", "download and install"),
     re.compile(r"please\s+follow\s+.{0,40}\s+on\s+(twitter|facebook|weibo|wechat)|scan\s+the\s+qr\s+code|download\s+and\s+install", _I),
     "share/follow prompt", 160),
    (("source link",), re.compile(r"source\s+link\s*:\s*https?://", _I), "metadata line", 100),
    (("edition", "europe", "asia", "africa"),
     re.compile(r"global\s*edition|^\W*(us|uk|europe|africa|asia|americas|中文|global)(\s+(us|uk|europe|africa|asia|americas|中文|global|edition)){2,}\W*$", _I),
     "language switcher", 80),
    (("本文来源",), re.compile(r"^\W*本文来源.{0,20}(作者|原文)\s*[:：]"), "metadata line", 200),
    (("电子报", "报纸名称"), re.compile(r"^\W*电子报阅读|当前报纸名称\s*[:：]"), "site chrome", 40),
    (("forward-looking", "safe harbor", "shall not constitute"),
     re.compile(r"forward-looking\s+statements|safe\s+harbor|shall\s+not\s+constitute\s+an\s+offer", _I), "legal notice", 200),
    (("by",), re.compile(r"^\W*by\s*[|｜]", _I), "metadata line", 40),
    (("xin hua", "xinhua", "web editor", "people's daily online", "resource", "page:", "for more", "updated at", "ago"),
     re.compile(r"^\W*\(\s*xin\s*hua(\s*net)?\s*\)\W*$|^\W*\(?\s*web\s+editor\s*:|people's\s+daily\s+online\s*-+\s*https?://|"
                r"^\W*resource\s*:\s*https?://|^\W*page\s*:\s*\d+\W*$|^\W*\(?for\s+more\s+.{0,30}please\s+visit\b|"
                r"\bupdated\s+at\s+\d{1,2}:\d{2}|^\W*\d+\s+(minutes?|hours?|days?|weeks?|months?)\s+ago\W*$", _I), "metadata line", 120),
    (("/afp", "/ap", "/reuters", "/getty", "/xinhua", "/epa", "/bloomberg"),
     re.compile(r"^\W*\(?[A-Z][A-Z .'-]+/(AFP|AP|Reuters|Getty Images|Xinhua|EPA|Bloomberg)(/[A-Za-z ]+)?\)?\W*$"), "photo credit", 60),
    (("view", "hit", "click", "admin"),
     re.compile(r"^\W*(19|20)\d{2}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(:\d{2})?\s+(views?|hits?|clicks?)\W*\S{0,3}$|^\W*author\s+admin\W*$|"
                r"^\W*hits?\s*[:：]\s*(\d+\s*)?(author\s*[:：])?", _I), "metadata line", 60),
    (("展开剩余",), re.compile(r"^\W*展开剩余\s*\d{1,3}\s*%\W*$"), "site chrome", 20),
    (("下一", "更多", "蓝色字", "藍色字", "藍字", "上一篇", "上一頁"),
     re.compile(r"(点击|點擊)阅读下一|點擊閱讀下一|^\W*更多\S{0,8}(报道|報導|报导|新闻|新聞)\s*[:：]?\W*$|"
                r"点(击)?(上方)?蓝色字关注|點(擊)?(上方)?藍(色)?字關注|^\W*(上一篇|上一頁|上一页)\W+(下一篇|下一頁|下一页)\W*$"), "site chrome", 40),
    (("返回", "标识码", "標識碼", "本文来自", "本文來自"),
     re.compile(r"^\W*返回.{1,8}首页\W*$|^\W*(网站标识码|網站標識碼)|^\W*(本文来自|本文來自)\s*[【\[《]?[^】\]》\s]{1,12}[】\]》]?\W*$"),
     "site chrome", 40),
    (("discover more", "latest posts sent", "blogthis"),
     re.compile(r"^\W*discover\s+more\s+from\b|subscribe\s+to\s+get\s+the\s+latest\s+posts|email\s+this\s*blog\s*this", _I),
     "site prompt", 120),
    (("image", "issued at"), re.compile(r"^\W*image\s+\d{1,3}\W*$|^\W*issued\s+at\s+hkt\s+\d", _I), "metadata line", 40),
    (("archives", "views", "comment(s)"),
     re.compile(r"^\W*(author|category|tag|monthly)\s+archives?\s*:|^\W*[\d,]+\s+views?(\s+(no|\d+)\s+comments?)?\W*$|"
                r"^\W*\d+\s*comment\(s\)", _I), "metadata line", 100),
    (("博客", "金笔", "人气", "徽章"), re.compile(r"^\W*(博客积分|博客访问|博客等级|关注人气|获赠金笔|赠出金笔|荣誉徽章)\s*[:：]"), "metadata line", 30),
    (("审", "審", "校对", "校對", "核稿", "监制", "監製"),
     re.compile(r"^\W*(初审|复审|终审|一审|二审|三审|初審|復審|終審|一審|二審|三審|审核|審核|审校|審校|校对|校對|核稿|编审|編審|监制|監製)"
                r"(\s*[:：]\s*|\s+)?([\u4e00-\u9fff·]{2,4}(\s+|$)){0,3}\W*$"), "editor credit", 24),
    (("参与", "參與", "条评论", "條評論", "沙发", "沙發", "还没有评论", "還沒有評論", "暂无评论", "暫無評論"),
     re.compile(r"\d+\s*人参与|\d+\s*人參與|\d+\s*条评论|\d+\s*條評論|抢沙发|搶沙發|^\W*(还没有评论|還沒有評論|暂无评论|暫無評論)"), "comment form", 40),
    (("二维码", "二維碼", "码", "碼"),
     re.compile(r"^[^。！？!?]*(扫描|掃描|扫|掃|长按|長按|识别|識別)[^。，,；;]{0,8}(二维码|二維碼|码|碼)[^。，,；;]{0,6}"
                r"(关注|關注|访问|訪問|分享|下载|下載|查看|阅读|閱讀|打开|打開)[^。！？!?]*$"), "share/follow prompt", 30),
    (("阅读更多", "read more", "字数", "版權歸", "文章内容", "正文", "跳至", "跳到", "下載", "下载", "綜合報導", "综合报道", "line好友", "更多精彩",
      "line 好友", "回到網頁", "#"),
     re.compile(r"阅读更多.{0,12}(点击|read\s+more)|^\W*(文章)?字数\s*[:：]\s*\d+|版權歸.{1,24}所有|>>?\s*(文章内容|正文|详细内容)\W*$|"
                r"^\W*(跳至|跳到)主要内容|^\W*(点击|點擊)?(立即)?(下載|下载).{0,16}app|更多精彩(资讯|內容|内容)?请(登陆|登录|访问|关注)|^\W*(綜合報導|综合报道)\s*[／/]|加入\s*line\s*好友|回到網頁上方|"
                r"^#[^\s#]{1,20}(\s+#[^\s#]{1,20})*$", _I), "site chrome", 120),
    (("editor", "sharing", "post time", "leave a message", "your say", "view results", "loading", "video player", "subscribe",
      "蓝字", "天气", "[db:", "chinadaily", "index no", "publicity", "validity", "the 1st level", "file download", "content overview"),
     re.compile(r"^\W*[\[【]\s*(responsible\s+editor|editors?)\s*[:：]|sharing\s+let\s+more\s+people\s+see|^\W*post\s+time\s*[:：]|"
                r"^\W*(leave\s+a\s+message|have\s+your\s+say|view\s+results|loading\s*\.{3}(\s*loading\s*\.{3})*|video\s*player\s*close)\W*$|"
                r"click\s+above\s+to\s+subscribe|点(击)?(上方)?蓝字关注|^\W*\S{0,6}天气\s*[:：]|\[db:[^\]]*\]|"
                r"^\W*\(?\s*[A-Z][a-z]+(\s+[A-Z][a-z]+){0,3}\s*\((chinadaily\.com\.cn|xinhua|china\s+daily)\)\s*\)?\W*$|"
                r"^\W*(index\s+no\.?|forms?\s+of\s+publicity|modes?\s+of\s+publicity|range\s+of\s+publicity|period\s+of\s+validity|"
                r"procedures?\s+of\s+publicity|theme\s*\(the\s+\w+\s+level\)|file\s+download|content\s+overview)\W*$", _I),
     "metadata line", 120),
    (("记者", "通讯员"), re.compile(r"^\W*\S{0,10}(记者|通讯员)\s*[:：]\s*\S"), "metadata line", 40),
    (("欢迎", "听新闻", "最后编辑", "评论", "搜索", "|", "｜"),
     re.compile(r"^\W*欢迎(来到|访问|光临|您)|^\W*听新闻\W*$|^\W*最后编辑于|阅读\s*[\d,]+\s*评论\s*\d+|^\W*(快捷搜索|热门搜索|热搜)\s*[:：]|"
                r"^\W*[|｜]?\s*[\u4e00-\u9fff]{2,8}\s*[|｜]\s*(19|20)\d{2}-\d{1,2}-\d{1,2}\W*$"), "site chrome", 60),
    # generic kinds of chrome, in both scripts: newspaper page-source lines, view counters, pagers, rows of social networks
    (("版",), re.compile(r"^\W*《[^》]{2,16}》\s*[(（]\s*(19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(第\s*)?[a-z]?\d{1,3}\s*版\s*[)）]\W*$|"
                       r"^\W*[a-z]?\d{1,3}\s*版(\s*[:：]\s*\S{1,8})?\W*$", _I), "source line", 60),
    (("阅读", "閱讀", "浏览", "瀏覽", "点击", "點擊", "點閱", "点阅", "views", "reads"),
     re.compile(r"^\W*(阅读|閱讀|浏览|瀏覽|点击|點擊|點閱|点阅)(量|数|數|率|次数|次數)?\s*[:：]?\s*[\d,]+(\.\d+)?\s*(万|萬|k)?\s*次?\W*$|"
                r"(^|[\s·|｜])[\d,]+(\.\d+)?\s*(万|萬|k)?\s*(次浏览|次瀏覽|次阅读|次閱讀|次点击|次點擊|人阅读|人閱讀|views|reads)\W*$", _I),
     "counter or pager", 40),
    (("页", "頁", "条记录", "條記錄"),
     re.compile(r"^\W*((共\s*\d+\s*(页|頁|条|條|篇)|第\s*\d+\s*(页|頁)|\d+\s*(条记录|條記錄)|\d+\s*/\s*\d+\s*(页|頁)|"
                r"首页|上一页|下一页|尾页|末页|首頁|上一頁|下一頁|尾頁|末頁|跳转|跳轉|转到|轉到|\d{1,3}(?!\d))\W*){2,}$|"
                r"^\W*(共\s*\d+\s*(页|頁|条|條|篇)|\d+\s*(条记录|條記錄))\W*$"), "counter or pager", 60),
    (("facebook", "twitter", "instagram", "youtube", "linkedin", "weibo", "微博", "wechat", "whatsapp", "telegram", "tiktok"),
     re.compile(r"^(?:[^.!?。！？]*?(facebook|twitter|instagram|youtube|linkedin|weibo|微博|wechat|whatsapp|telegram|tiktok|reddit|"
                r"pinterest|line)\b){3}[^.!?。！？]*$", _I), "share/follow prompt", 150),
]


# the cues of ``_MORE_CUES`` that may judge a line in which a sentence ends (notices, prompts, credits)
_SENTENCE_CUES = frozenset({"site terms/disclaimer", "agency credit/disclaimer", "site chrome", "share/follow prompt", "comment form",
                            "browser notice", "metadata line", "site prompt", "site licence number", "source line"})


def _more_gates(sentence: bool) -> list[tuple[re.Pattern[str], dict[str, tuple[int, ...]]]]:
    """Per line length: one pattern finding the literals of the cues of ``_MORE_CUES`` that may judge
    a line so long (factored by prefix), and for each literal found, the cues (in table order) that
    it, or a shorter literal inside it, admits.  ``sentence``: only the cues of ``_SENTENCE_CUES``."""
    longest = max(c[3] for c in _MORE_CUES)
    plans: dict[tuple[int, ...], tuple] = {}
    out = []
    for n in range(longest + 1):
        ks = tuple(k for k, c in enumerate(_MORE_CUES) if n <= c[3] and (not sentence or c[2] in _SENTENCE_CUES))
        if ks not in plans:
            lits = sorted({g for k in ks for g in _MORE_CUES[k][0]}, key=len, reverse=True)
            admits = {a: tuple(k for k in ks if any(b in a for b in _MORE_CUES[k][0] if b in lits)) for a in lits}
            plans[ks] = (re.compile(_trie_pattern(lits)), admits)
        out.append(plans[ks])
    return out


_MORE_BY_LEN = _more_gates(False)
_MORE_SENTENCE_BY_LEN = _more_gates(True)


def _more_cues(s: str) -> str | None:
    """The reason of the first of ``_MORE_CUES`` that judges ``s`` chrome.

    >>> _more_cues("本文僅代表作者個人觀點,與本網無關"), _more_cues("(Xinhua) 09:05, May 3, 2021")
    ('site terms/disclaimer', 'source line')
    """
    n = len(s)
    if n >= len(_MORE_BY_LEN):
        return None
    sentence = n > 40 and ("。" in s or ". " in s)
    gate, admits = (_MORE_SENTENCE_BY_LEN if sentence else _MORE_BY_LEN)[n]
    found = gate.findall(s.lower())
    if not found:
        return None
    ks = admits[found[0]] if len(found) == 1 else sorted({k for f in found for k in admits[f]})
    for k in ks:
        if _MORE_CUES[k][1].search(s):
            return _MORE_CUES[k][2]
    return None


def _despaced(s: str) -> str:
    """The line with letter-spaced Chinese words closed up ("索   引   号" -> "索引号").

    >>> _despaced("发 布 机 构 某某办公室 发 文 日 期 2020-01-01")
    '发布机构 某某办公室 发文日期 2020-01-01'
    """
    return _SPACED_HAN.sub(lambda m: "".join(m.group().split()), s)


def _short_chrome(s: str, units: _Units) -> str | None:
    """Short lines of chrome the cue table misses: bylines, source and editor labels, journal
    issue lines, end marks, weather widgets, metadata fragments, spam keyword lines,
    government-document fields with letter-spaced labels.

    >>> [_short_chrome(x, _Units()) for x in ("- By Jane Doe", "本文来源:某某科技", "示例研究论坛 2021年3期", "~END~")]
    ['byline', 'metadata line', 'metadata line', 'end mark']
    >>> _short_chrome("By Monday, all firms must comply.", _Units()) is None
    True
    """
    n = len(s)
    if n > 40 and ("。" in s or ". " in s):
        return None  # a sentence ends inside: none of these kinds of chrome
    if n > 120:
        return "spam keywords" if n <= 200 and not s.isascii() and _spam_only(s) else None
    if s.isascii():  # cheap tests first: most lines are none of these
        low = s[:8].lower()
        if "by" in low and _BY_LABEL.match(s) and not _ends_sentence(s):
            return "byline"
        if not _LIST_PUNCT.search(s) and len(_CAMEL.findall(s)) >= 3:
            return "navigation menu"  # menu items run together: "HomeWorldSportsTravel"
        if s[:5].lower() == "home " and len(s.split()) >= 5 and _title_words(s) and not _LIST_PUNCT.search(s):
            return "navigation menu"  # "Home About Us News Business Services"
        if n <= 20 and _END_MARK.match(s):
            return "end mark"
        if n <= 20 and _FRAGMENT.match(s):
            return "metadata line"
        if n <= 40 and (s[:1].isdigit() or "km/h" in s or "mph" in s or "weather" in s.lower()) and _WEATHER.match(s):
            return "weather widget"
        if s[:1].isdigit() and _INDEX_NUMBER.match(s):
            return "metadata line"
        if ("365" in s or "419" in s or "bdsm" in s) and _spam_only(s):
            return "spam keywords"
        return None
    head = s[:10]
    if "by" in head.lower() and _BY_LABEL.match(s) and not _ends_sentence(s):
        return "byline"
    if ((("来源" in head or "作者" in head or "编辑" in head or "审" in head) and _SOURCE_LABEL.match(s))
            or (n <= 40 and ("/" in head or "／" in head) and _SLASH_CREDIT.match(s))
            or ("期" in s and _JOURNAL_ISSUE.match(s)) or (s[:2] in ("19", "20") and _DATE_NAMES.match(s))
            or (n <= 20 and _FRAGMENT.match(s)) or (("记者" in s or "通讯员" in s) and _REPORTERS.match(s)) or (n <= 40 and "者" in s and _REPORTERS_SLASH.search(s))
            or (n <= 80 and s[-1:] in "大中小字号0123456789日" and _SOURCE_DATE.match(s))):
        return "metadata line"
    if n <= 12 and _END_MARK.match(s):
        return "end mark"
    if "字" in s and _FONT_WIDGET.search(s):
        return "font-size widget"
    if n <= 40 and ("℃" in s or "°" in s) and _WEATHER.match(s):
        return "weather widget"
    if _spam_only(s):
        return "spam keywords"
    if s[:1] in _GOV_FIELD_START and _GOV_FIELD.match(s):
        return "metadata line"
    if ("】" in s or "]" in s) and _tool_row(s):
        return "page tool row"
    if s[:1] in "[【" and _BRACKET_LABEL.match(s):
        return "metadata line"  # "[关键词]...": a field label in brackets
    spaces = s.count(" ")
    if spaces >= 3 and _LANG_ITEM.search(s) and not _BODY_PUNCT.search(s) and not _lower_words(s):
        return "navigation menu"  # a row of links with a language among them
    if spaces >= 2 and _SPACED_HAN.search(s):
        d = _despaced(s)
        if _GOV_FIELD.match(d) or _is_metadata(d, units):
            return "metadata line"
        if d != s and len(d) <= 40 and _CREDIT_LABEL.match(d):
            return "metadata line"  # "编 辑:某 某", "记 者 | 某某"
        if d != s and not _BODY_PUNCT.search(d) and _SPACED_HAN.fullmatch(s) and len(d) >= 6:
            return "navigation menu"  # a row of letter-spaced menu items
    return None


_TOOL_WORDS = ("打印", "列印", "关闭", "關閉", "收藏", "分享", "推荐", "推薦", "投稿", "纠错", "糾錯", "字号", "字號", "评论",
               "評論", "返回", "顶部", "頂部", "告诉好友", "下载", "下載", "转寄", "轉寄", "责任编辑", "責任編輯", "责编", "責編")


def _tool_row(s: str) -> bool:
    """A row of bracketed page tools, whatever else stands between them: at least two items, each short,
    two or more of them a tool.

    >>> _tool_row("收藏此页】【 】【下载某某通】【打印】【关闭"), _tool_row("【专题】某某市召开大会【图】")
    (True, False)
    """
    items = [t.strip() for t in re.split(r"[【】\[\]]", s) if t.strip()]
    return (len(items) >= 2 and all(len(t) <= 8 for t in items)
            and sum(t.startswith(_TOOL_WORDS) for t in items) >= 2)


def _spam_only(s: str) -> bool:
    """A line of gambling or adult-site keyword phrases (split at ``_ - , | 、`` and spaces): every
    piece is one, or most are and no piece reads like a title (more than ten other Chinese characters).

    >>> _spam_only("某某体育app"), _spam_only("More high-tech zones in 某某体育app")
    (True, False)
    """
    if len(s) > 200 or _SPAM.search(s) is None:
        return False
    pieces = [p for p in _SPAM_PIECES.split(s) if p]
    spam = [p for p in pieces if _SPAM.search(p)]
    if any(han_count(_SPAM.sub("", p)) > 10 for p in pieces):
        return False
    return len(spam) == len(pieces) or (len(spam) >= 3 and len(spam) >= 0.6 * len(pieces))


def line_reason(line: str, lang: str = "en") -> str | None:
    """Why this line alone is boilerplate, or None when it may be content.

    Context-free: only cues that are chrome wherever they appear.  Short
    unpunctuated lines (widget headings, a site name) need position or
    recurrence and are left to :func:`strip_boilerplate`.

    >>> line_reason("Leave a Reply")
    'comment form'
    >>> line_reason("首页>园区 > 园区热点 > > 正文", "zh")
    'breadcrumb'
    >>> line_reason("(责任编辑:韩梦晨)", "zh")
    'editor credit'
    >>> line_reason("Dalian high tech Zone to promote innovation and Entrepreneurship") is None
    True
    """
    return _line_reason(line.strip(), _Units())


def _line_reason(s: str, units: _Units) -> str | None:
    """:func:`line_reason` of a stripped line, with the page's ``units`` (filled in as needed)."""
    if not s:
        return None
    if "(" in s and not s.isascii() and _PINYIN_NOTE.search(s):
        return _line_reason(_PINYIN_NOTE.sub("", s), units)  # "網(wǎng)站": pinyin a mirror wrote after each character
    if "?" in s and s.count("?") >= 3 and s.count("?") > s.count(" "):
        return _line_reason(s.replace("?", " ").strip(), units)  # spaces lost to a wrong encoding ("Sponsored?by:??Office")
    n = len(s)
    if n > _LONGEST_CUE:
        return None
    plan = _CUE_PLANS[n]
    hit = None  # the first keyword-less cue that matches: (place, reason)
    anchored = plan.anchored_for(s[0])
    if anchored is not None:
        m = anchored.match(s)
        if m:
            hit = plan.names[m.lastgroup]
    if plan.keyed:
        low = s.lower()
        if low.isascii():  # substring tests are faster there (and find overlapping keywords too)
            found = {w for w in plan.ascii_keywords if w in low}
        else:
            found = set(_KEYWORD_RE.findall(low))
        if found:  # otherwise no keyed cue can match
            for place, pattern, reason, keywords in plan.keyed:
                if hit is not None and place > hit[0]:
                    break
                if not keywords.isdisjoint(found) and pattern.search(s):
                    return reason
    if hit is not None:
        return hit[1]
    if n > 300:
        return None
    shape = _is_breadcrumb_or_menu(s, units)
    if shape:
        return shape
    if _is_metadata(s, units):
        return "metadata line"
    if _META_WORDS.match(s):
        return "page tool link"
    if n <= 40:
        key = _widget_key(s)
        if key in _WIDGET_TITLES or (not key.isascii() and key.replace(" ", "") in _WIDGET_TITLES):
            return "widget heading"
    return _more_cues(s) or _short_chrome(s, units)


# ------------------------------------------------------------------ the document


@dataclass
class Stripped:
    """Result of :func:`strip_boilerplate`."""

    kept: list[tuple[int, str]]  # (0-based raw line number, text) of content lines
    removed: list[Removed] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    title: str | None = None  # the headline, when the first content line reads as one
    title_line: int | None = None  # its raw line number
    standalone: set[int] = field(default_factory=set)  # raw line numbers of kept lines never joined to a neighbour


class _Units(dict):
    """:func:`_units` of the texts of one page, each computed once (``units[text]``)."""

    def __missing__(self, text: str) -> float:
        u = self[text] = _units(text)
        return u


class _Body(dict):
    """Whether each text of a page reads as a body paragraph: punctuated, twelve words or more (``body[text]``).

    ``memo`` keeps the page's likely title and protected lines for a state of its
    verdicts, which only grow: their number names the state.
    """

    def __init__(self, units: _Units):
        super().__init__()
        self.units = units
        self.memo: dict[tuple[str, int], Any] = {}

    def __missing__(self, text: str) -> bool:
        if _BODY_PUNCT.search(text) is None:
            b = False
        elif text in self.units or len(text) > 320:
            b = self.units[text] >= 12
        else:
            b = han_count(text) >= 24 or self.units[text] >= 12  # 24 Chinese characters are 12 words already
        self[text] = b
        return b


def _is_weak(line: str, units: _Units | None = None) -> bool:
    """Short, unpunctuated, bulleted or contact-like: chrome when it sits among chrome."""
    s = line.strip()
    if len(s) > 400:
        return False
    if units is None:
        units = _Units()
    if _BULLET.match(s) and units[_BULLET.sub("", s)] <= 8:
        return True
    if ("：" in s or ":" in s) and _CONTACT.search(s) and units[s] <= 40:
        return True
    if units[s] <= 6 and (not _ends_sentence(s) or s.rstrip().endswith(("...", "…"))):
        return True
    return False


_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_FIELD_VALUE = {
    "source": re.compile(r"(?:来源|稿源|出处|source)\s*[:：]\s*(.+?)(?=\s+\S{1,12}\s*[:：]|\s*[|｜]|\s{2,}|$)", _I),
    "author": re.compile(r"(?:作者|记者|通讯员|author|reporter|writer|posted\s+by)\s*[:：]\s*(.+?)(?=\s+\S{1,12}\s*[:：]|\s*[|｜]|\s{2,}|$)", _I),
}
_EDITOR = re.compile(r"(?:责任编辑|责编|编辑|editors?|edited\s+by|responsible\s+editor|responsibly)\s*[:：]\s*([^()（）]+?)\s*(?:[)）]|$)", _I)
_CREDIT_AUTHOR = re.compile(r"^([^()（）]{1,40}?)\s*[（(]\s*(?:responsibl[ey]|responsible\s+editor|editors?|edited\s+by|责任编辑|责编|编辑)\s*[:：]", _I)

# An editor credit (and what follows it) glued to the end of a content paragraph.
_TAIL_CREDIT = re.compile(
    r"\s*[（(]{1,2}\s*(责任编辑|责编|编辑|editors?|edited\s+by|responsible\s+editor|responsibly)\s*[:：][^()（）]{1,80}[)）]{1,2}\s*(?P<rest>.{0,80})$",
    _I,
)


def _date_of(text: str) -> str | None:
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = m.groups()
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    return f"{y}-{int(mo):02d}-{int(d):02d}"


def _lift_metadata(text: str, reason: str, meta: dict[str, Any]) -> None:
    """Put date, source, author and editor found in a removed line into ``meta``."""
    if reason in ("metadata line", "comment counter") or "credit" in reason:
        date = _date_of(text)
        if date and "date" not in meta:
            meta["date"] = date
        for key, pat in _FIELD_VALUE.items():
            m = pat.search(text)
            if m and key not in meta:
                meta[key] = m.group(1).strip(" ,;|")
        m = _BYLINE.match(text)
        if m and "author" not in meta:
            meta["author"] = re.sub(r"^\W*(by|written\s+by|posted\s+by)\s+", "", text.strip(), flags=_I).split("|")[0].strip(" ,")
    if "credit" in reason:
        m = _EDITOR.search(text)
        if m and "editor" not in meta:
            meta["editor"] = m.group(1).strip()
        m = _CREDIT_AUTHOR.match(text.strip())
        if m and "author" not in meta:
            meta["author"] = m.group(1).strip()


_OPEN_BRACKET = re.compile(r"[（(]")


def _search_tail_credit(text: str) -> re.Match[str] | None:
    """``_TAIL_CREDIT.search(text)``, tried only where a match can start.

    The pattern opens with spaces and a bracket, so a match starts at the first
    space of the run before a bracket (or at the bracket): the first such place
    where it matches is where ``search`` finds it, without trying every character.
    """
    for b in _OPEN_BRACKET.finditer(text):
        start = b.start()
        while start > 0 and text[start - 1].isspace():
            start -= 1
        m = _TAIL_CREDIT.match(text, start)
        if m:
            return m
    return None


def _strip_tail_credit(text: str) -> tuple[str, str] | None:
    """Split 'content… ((Editor: X) Sharing more people see.' into content and credit."""
    if "(" not in text and "（" not in text:
        return None
    m = _search_tail_credit(text)
    if not m or m.start() == 0:
        return None
    rest = m.group("rest").strip()
    if rest and _units(rest) > 10:
        return None  # a real sentence follows: not a closing credit
    head = text[: m.start()].rstrip()
    if _units(head) < 3:
        return None
    return head, text[m.start():].strip()


def cue_reasons(lines: list[str], lang: str = "en", corpus=None,
                units: _Units | None = None) -> tuple[list[int], dict[int, str], dict[int, str]]:
    """The evidence before the line model: phrase cues, batch recurrence, disclaimer blocks.

    Returns the raw line numbers of the non-blank lines, their stripped texts and
    the reason of each line judged chrome so far.  ``units``: the page's line
    lengths in words, filled in as they are needed.
    """
    if units is None:
        units = _Units()
    texts = {}
    for i, ln in enumerate(lines):
        t = ln.strip()
        if t:
            texts[i] = t
    idx = list(texts)
    reason: dict[int, str] = {}
    for i, t in texts.items():
        r = _line_reason(t, units)
        if r:
            reason[i] = r

    _table_rows(idx, texts, reason)

    # Recurrence across the batch (unless the whole document recurs: a duplicate, not chrome).
    if corpus is not None and getattr(corpus, "ndocs", 0) >= 3:
        rec = {i: corpus.count(texts[i]) for i in idx}
        threshold = corpus.threshold()
        recurring = [i for i in idx if rec[i] >= threshold]
        if recurring and len(recurring) <= 0.5 * len(idx):
            for i in recurring:
                reason.setdefault(i, f"recurs in {rec[i]} of {corpus.ndocs} documents of the batch")

    # Blocks: a disclaimer heading takes the enumerated items under it.
    for k, i in enumerate(idx):
        if reason.get(i) == "copyright/disclaimer heading":
            for j in idx[k + 1:]:
                if j in reason:
                    continue
                if _ENUM_ITEM.match(texts[j]) or _is_weak(texts[j], units) or units[texts[j]] <= 40:
                    reason[j] = "disclaimer item (under the copyright/disclaimer heading)"
                else:
                    break
    return idx, texts, reason


TABLE_MIN_ROWS = 3  # this many lines in a row with the same number of cell separators are a table


def _pipes(text: str) -> int:
    """Table-cell separators in the line."""
    return text.count("|") + text.count("｜")


def _table_rows(idx: list[int], texts: dict[int, str], reason: dict[int, str]) -> None:
    """Take back the menu and metadata verdicts of a table's rows: ``TABLE_MIN_ROWS`` or more lines in a row that each hold
    the same number (two or more) of ``|``, with a figure in a cell or a row closed by ``|``, are the article's
    table (a list of parks, a statistics table), not site menus."""
    k = 0
    while k < len(idx):
        n = _pipes(texts[idx[k]])
        j = k
        while j < len(idx) and n >= 2 and _pipes(texts[idx[j]]) == n:
            j += 1
        run = idx[k:j]
        if len(run) >= TABLE_MIN_ROWS and any(texts[i].rstrip().endswith(("|", "｜")) or any(ch.isdigit() for ch in texts[i])
                                              for i in run):
            for i in run:
                if reason.get(i) in ("navigation menu", "breadcrumb", "metadata line"):
                    del reason[i]
        k = max(j, k + 1)


def _is_widget(text: str) -> bool:
    return len(text) <= 40 and _widget_key(text) in _WIDGET_TITLES


def _widget_key(text: str) -> str:
    """The line as looked up in ``_WIDGET_TITLES``: bullet, separators, colons and trailing dots off, lower case.

    >>> _widget_key("• Read more..."), _widget_key("相关新闻：")
    ('read more', '相关新闻')
    """
    return _BULLET.sub("", text).strip(" \t/|:：>»·•-.…").lower()


def _model_lines(idx: list[int], texts: dict[int, str], reason: dict[int, str], body: _Body):
    """The page's lines as :mod:`cleanup.linemodel` takes them: texts, cue verdicts, body paragraphs, judged lines."""
    seq = [texts[i] for i in idx]
    cue = [reason.get(i) for i in idx]
    is_body = [c is None and body[t] for t, c in zip(seq, cue)]
    return seq, cue, is_body, judged(seq, cue, is_body)


def model_inputs(idx: list[int], texts: dict[int, str], reason: dict[int, str], lang: str):
    """Features of the page's lines for :mod:`cleanup.linemodel` (shared with its training).

    Dense rows of all lines (zero where the model does not judge), their hashed
    word buckets, and which lines the model judges.
    """
    seq, cue, is_body, todo = _model_lines(idx, texts, reason, _Body(_Units()))
    rows, buckets = features(seq, cue, is_body, lang, [t and _is_widget(s) for s, t in zip(seq, todo)])
    return rows, buckets, np.array(todo, dtype=bool)


_MODEL_DEFAULT = object()


def _likely_title(idx: list[int], texts: dict[int, str], reason: dict[int, str], body: _Body | None = None) -> int | None:
    """The line the model may not remove: the title-like line nearest above the first body paragraph.

    Datelines and bylines between title and body are passed over; a page with no
    body paragraph keeps its first line no cue removed.
    """
    if body is None:
        body = _Body(_Units())
    key = ("title", len(reason))
    if key not in body.memo:
        body.memo[key] = _find_likely_title(idx, texts, reason, body)
    return body.memo[key]


def _find_likely_title(idx: list[int], texts: dict[int, str], reason: dict[int, str], body: _Body) -> int | None:
    units = body.units
    above: list[int] = []  # the open lines above the first body paragraph
    first_body = None
    for i in idx:
        if i in reason:
            continue
        if body[texts[i]]:
            first_body = i
            break
        above.append(i)
    if first_body is None:
        return above[0] if above else None
    for i in reversed(above):
        t = texts[i]
        if _DATELINE.match(t) or _BYLINE_ANY.match(t) or units[t] < 2:
            continue
        return i if _title_like(t, units) else None
    return None


_DATE_ONLY = re.compile(r"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\W+)?(?:"
                        r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|"
                        r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}|"
                        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\W{0,3}\d{1,2}(?:st|nd|rd|th)?\W{0,3}(?:19|20)\d{2}|"
                        r"\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(?:19|20)\d{2})"
                        r"(?:\W{1,3}\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?(?:\s*[a-z]{2,4})?)?"
                        r"(?:\s*[（(]?\s*(?:星期|週|周)[一二三四五六日天]\s*[)）]?)?\W*$", _I)


def _date_only(text: str) -> bool:
    """A line holding only a date (and a time): content under the labelling rule, wherever it stands.

    >>> [_date_only(x) for x in ("June 2, 2021", "Mon,Jun,3,2024", "2019年6月26日(星期三)", "02/03/2022 | 04:15pm EST", "Updated: 2019-06-26")]
    [True, True, True, True, False]
    """
    return len(text) <= 40 and any(c.isdigit() for c in text[:24]) and _DATE_ONLY.match(text) is not None


_NAME_SIGNOFF = re.compile(r"^[（(]\s*[\u4e00-\u9fff·]{2,4}\s*[)）]$")  # "(张三)": the author's name closing the article is content
_TAIL_REACH = 4  # a short line in the footer goes when footer chrome is at most this many lines away
_HEAD_LINES = 40  # a title above a byline is looked for among the first lines only


def _above_byline(idx: list[int], texts: dict[int, str], reason: dict[int, str], units: _Units | None = None) -> set[int]:
    """Title-like lines right above a byline, dateline or source line: a title's usual place."""
    if units is None:
        units = _Units()
    out = set()
    for k in range(len(idx) - 1):
        i = idx[k]
        t = texts[i]
        if i not in reason and len(t) <= 200 and _title_like(t, units) and units[t] >= 3:
            nxt = texts[idx[k + 1]]
            if _BYLINE_ANY.match(nxt) or _DATELINE.match(nxt) or _META_FIELD_AT_START.match(nxt):
                out.add(i)
    return out


def _protected(idx: list[int], texts: dict[int, str], reason: dict[int, str], body: _Body) -> set[int | None]:
    """The lines no position rule and no model may remove: the likely title, title-like lines above a byline."""
    key = ("protected", len(reason))
    if key not in body.memo:
        body.memo[key] = {_likely_title(idx, texts, reason, body)} | _above_byline(idx[:_HEAD_LINES], texts, reason, body.units)
    return body.memo[key]


def _model_reasons(idx, texts, reason, lang, model, body: _Body | None = None) -> None:
    """Lines the learned line model judges chrome (``cleanup/data/boilerplate_model.json``)."""
    if not any(i not in reason and len(texts[i]) <= MAX_CHARS for i in idx):
        return  # every short line is already judged by a cue
    if body is None:
        body = _Body(_Units())
    seq, cue, is_body, todo = _model_lines(idx, texts, reason, body)
    keep = _protected(idx, texts, reason, body)
    want = [k for k, (t, i) in enumerate(zip(todo, idx)) if t and i not in keep and not _date_only(texts[i])]
    if not want:
        return  # nothing left to judge but the title
    widget = [t and _is_widget(s) for s, t in zip(seq, todo)]
    sel, rows, buckets = judged_features(seq, cue, is_body, lang, widget, todo)
    cue_flags = [c is not None for c in cue]
    p = model.judge(cue_flags, sel, rows, buckets, want)
    if not page_allows(p, cue_flags.count(False)):  # only the wanted lines have scores
        return  # a page unlike those the model learned from
    for k, pk in zip(want, p):
        if pk >= model.threshold:
            reason[idx[k]] = f"line model: chrome with probability {pk:.2f} (shape, position, neighbours)"


_MENU_RUN = 4  # this many short menu items in a row above the body are a menu, one item a line
_ITEM_BREAK = re.compile(r"[\d:：,，;；.。!?！？“”\"()（）]")


def _menu_item(text: str, units: _Units) -> bool:
    """A menu item standing alone: a few Title Case words, no digits or punctuation."""
    text = _BULLET.sub("", text) if text[:1] in _SYMBOL_BULLETS else text  # "• Business" as "Business"
    if len(text) > 60 or _ITEM_BREAK.search(text):
        return False
    return text.isascii() and units[text] <= 6 and _title_words(text)  # short Chinese lines are too often a title or a name


_SMALL_WORDS = frozenset("a an and the of for in on to at by with or & -".split())


def _title_words(text: str) -> bool:
    """Every word capitalised, bar small words ("Parks and Public Gardens").

    >>> _title_words("Schools and Other Colleges"), _title_words("Light rain")
    (True, False)
    """
    words = text.split()
    return bool(words) and words[0][:1].isupper() and all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _menu_runs(idx: list[int], texts: dict[int, str], reason: dict[int, str], body: _Body) -> None:
    """Runs of ``_MENU_RUN`` or more menu items, one a line, above the first body paragraph: a site menu."""
    first = next((k for k, i in enumerate(idx) if i not in reason and body[texts[i]]), None)
    if first is None or first < _MENU_RUN:
        return
    keep = _protected(idx, texts, reason, body)
    run: list[int] = []
    for i in idx[:first] + [None]:
        if i is not None and i not in keep and (i in reason or _menu_item(texts[i], body.units)):
            run.append(i)
            continue
        items = [j for j in run if j not in reason]
        if sum(_menu_item(texts[j], body.units) for j in run) >= _MENU_RUN - 1 and len(run) >= _MENU_RUN:
            for j in items:
                reason[j] = "navigation menu (short items one a line)"
        run = []


_TEASER_RUN = 3  # this many title-like lines in a row under the article, below a chrome line, are a list of other articles
_TEASER_RUN_BARE = 5  # ... or this many straight under the last paragraph, unless they read as the items of the article's own list


def _teaser(text: str, units: _Units) -> bool:
    """A line that reads like another article's title: a few words to a long title, not a sentence, not a name or a date."""
    u = units[text]
    return (4 <= u <= 30 and _title_like(text, units) and (not _ends_sentence(text) or text[-1:] in "?？!！")
            and not _CAPTION.search(text)
            and not _NAME_SIGNOFF.match(text) and not _date_only(text))


def _unlike_items(lines) -> bool:
    """Lines that do not read as the items of one list: none enumerated, and no opening or ending shared by most.

    >>> _unlike_items(["某县甲园区", "某县乙园区", "某县丙园区"]), _unlike_items(["城市新开一座公园", "河道治理获得奖项", "青年创业者聚集园区"])
    (False, True)
    """
    items = list(lines)
    if any(_ENUM_ITEM.match(t) for t in items):
        return False
    items = [t.lstrip(_SYMBOL_BULLETS + " ") for t in items]  # bullets are the page's markup, not the items' words
    most = len(items) / 2
    heads = Counter(t[:2] for t in items).most_common(1)[0][1]
    tails = Counter(t[-2:] for t in items).most_common(1)[0][1]
    return heads <= most and tails <= most


def _last_body(idx: list[int], texts: dict[int, str], reason: dict[int, str], body: _Body) -> int | None:
    """Position in ``idx`` of the last body paragraph no cue removed, or None."""
    return next((k for k in range(len(idx) - 1, -1, -1) if idx[k] not in reason and body[texts[idx[k]]]), None)


def _teaser_runs(idx: list[int], texts: dict[int, str], reason: dict[int, str], body: _Body) -> None:
    """Under the last body paragraph, runs of ``_TEASER_RUN`` or more title-like lines that follow a
    chrome line (a widget heading such as "相关新闻" or "More stories"), or of ``_TEASER_RUN_BARE`` or
    more straight under the paragraph when they do not read as one list's items: teasers of other
    articles.  Date-only lines between them (each teaser's date) go with them."""
    last = _last_body(idx, texts, reason, body)
    if last is None:
        return
    units = body.units
    k = last
    while k < len(idx):
        if k > last and idx[k] not in reason:
            k += 1
            continue
        run, dates, j = [], [], k + 1  # a chrome line at k (or the last body paragraph): the teasers under it
        while j < len(idx) and idx[j] not in reason:
            t = texts[idx[j]]
            if _teaser(t, units):
                run.append(idx[j])
            elif _date_only(t) and run:
                dates.append(idx[j])
            else:
                break
            j += 1
        if len(run) >= _TEASER_RUN if k > last else (len(run) >= _TEASER_RUN_BARE and _unlike_items(texts[i] for i in run)):
            for i in run + dates:
                reason[i] = "teasers of other articles, under the article"
        k = j if j > k + 1 else k + 1


def _subtitled(k: int, idx: list[int], texts: dict[int, str]) -> bool:
    """Whether the line after ``idx[k]`` opens with a dash: a subtitle ("——记某某"), which makes ``idx[k]`` the title above it."""
    return k + 1 < len(idx) and texts[idx[k + 1]].startswith(("——", "—", "--"))


def _cue_named(lines: list[int], reason: dict[int, str]) -> bool:
    """Whether a cue (not the line model alone) judged one of ``lines`` chrome."""
    return any(i in reason and not reason[i].startswith("line model") for i in lines)


_IN_ARTICLE = frozenset({"picture file name", "photo credit", "spam keywords", "markup residue"})  # chrome found inside articles too


def _below_footer(idx: list[int], texts: dict[int, str], reason: dict[int, str], body: _Body) -> None:
    """Under the last body paragraph, once chrome has begun: the short lines that are not sentences."""
    last = _last_body(idx, texts, reason, body)
    if last is None:
        return
    start = next((k for k in range(last + 1, len(idx)) if idx[k] in reason and reason[idx[k]] not in _IN_ARTICLE), None)
    if start is None:
        return
    units = body.units
    heads = {_norm_key(texts[i]) for i in (_likely_title(idx, texts, reason, body), next((i for i in idx if i not in reason), None))
             if i is not None}
    for i in idx[start + 1:]:
        if i in reason:
            continue
        t = texts[i]
        if (units[t] > 20 or _ends_sentence(t) or _SENTENCE_INSIDE.search(t) or _CAPTION.search(t) or _NAME_SIGNOFF.match(t)
                or _date_only(t) or _norm_key(t) in heads or _pipes(t) >= 2):  # table rows are the article's
            continue
        reason[i] = "short line after the footer began, under the last paragraph"


def strip_boilerplate(lines: list[str], lang: str = "en", corpus=None, model=_MODEL_DEFAULT) -> Stripped:
    """Split the lines of a document into content and boilerplate.

    ``lines`` are the raw lines (``text.split("\\n")``); line numbers in the
    result refer to them.  ``corpus`` (a :class:`cleanup.api.CorpusLines`) adds the
    recurrence evidence of a batch; ``model`` is the learned line classifier
    (default: the shipped one; None: the cues alone).  Metadata lines are removed and their values
    (date, source, author, editor) returned in ``metadata``; the date of a kept
    dateline is read too.  The headline (the first content line, when it reads as
    a title) is returned in ``title``, with the kept lines that must stay on a line of
    their own (headline, a line repeating it, dateline, byline) in ``standalone``.
    """
    units = _Units()  # the page's line lengths in words, and which lines read as body paragraphs, each found once
    idx, texts, reason = cue_reasons(lines, lang, corpus, units)
    body_text = _Body(units)
    if model is _MODEL_DEFAULT:
        model = load_model()
    if model is not None and idx:
        _model_reasons(idx, texts, reason, lang, model, body_text)

    _menu_runs(idx, texts, reason, body_text)
    _teaser_runs(idx, texts, reason, body_text)
    _below_footer(idx, texts, reason, body_text)

    # Title: the first line that is not chrome; never removed by position.
    title = next((i for i in idx if i not in reason), None)

    # Tail block: from the end, lines that are chrome or weak; weak lines go when chrome is among them.
    tail: list[int] = []
    for k in range(len(idx) - 1, -1, -1):
        i = idx[k]
        if i == title:
            break
        if i in reason or _is_weak(texts[i], units) or (tail and _ENUM_ITEM.match(texts[i]) and _cue_named(tail, reason)):
            tail.append(i)
        elif tail and k > 0 and idx[k - 1] in reason and idx[k - 1] != title and units[texts[i]] <= 25:
            tail.append(i)  # one short line between footer chrome (an author box, a notice)
        else:
            break
    # the sweep needs footer chrome a cue named: when the model alone took the page's last line (often a cut-off
    # list item or caption of a page stored as an excerpt), the short lines above it are the article's
    if _cue_named(tail, reason):
        # the title repeated under the body (a caption) is content
        heads = {_norm_key(texts[i]) for i in (title, _likely_title(idx, texts, reason, body_text))
                 if i is not None and units[texts[i]] >= 3 and _title_like(texts[i], units)}
        # a weak line goes only near footer chrome: a long run of short lines (a table, a list
        # in the article) above one chrome line at the very end is content
        sure = [k for k, i in enumerate(tail) if i in reason]
        for k, i in enumerate(tail):
            if i not in reason and not _CAPTION.search(texts[i]) and not _NAME_SIGNOFF.match(texts[i]) and not _date_only(texts[i]) \
                    and min(abs(k - j) for j in sure) <= _TAIL_REACH \
                    and _norm_key(texts[i]) not in heads:
                reason[i] = "short line in the page footer, among boilerplate"

    # Head block: short lines above the last navigation line before the body (site name, menu items).
    body = next((i for i in idx if i not in reason and body_text[texts[i]]), None)
    if body is not None:
        nav = [i for i in idx if i < body and reason.get(i) in _NAV_REASONS]
        if nav:
            keep = _protected(idx, texts, reason, body_text)
            for k, i in enumerate(idx):
                if i >= nav[-1] or i in keep:
                    break  # the title and what follows it are not the page header
                if i not in reason and _is_weak(texts[i], units) and not _date_only(texts[i]) and not _subtitled(k, idx, texts):
                    reason[i] = "short line in the page header, above the navigation"
        title = next((i for i in idx if i not in reason), None)

    removed = [Removed(i, texts[i], reason[i]) for i in idx if i in reason]
    meta: dict[str, Any] = {}
    for r in removed:
        _lift_metadata(r.text, r.reason, meta)

    kept: list[tuple[int, str]] = []
    changes: list[Change] = []
    kept_idx = [i for i in idx if i not in reason]
    for n, i in enumerate(kept_idx):
        text = texts[i]
        if n >= len(kept_idx) - 3:  # credits are glued to the last paragraphs only
            split = _strip_tail_credit(text)
            if split:
                text, credit = split
                changes.append(Change("boilerplate", credit, "", "editor credit and share prompt cut from the end of a paragraph"))
                _lift_metadata(credit, "editor credit", meta)
        kept.append((i, text))

    # A dateline near the top is content, but its date is metadata too.
    if "date" not in meta:
        for i, text in kept[:4]:
            if units[text] <= 8:
                d = _date_of(text)
                if d:
                    meta["date"] = d
                    break
    title_line, standalone = _headline(kept, _likely_title(idx, texts, reason, body_text), units)
    title = dict(kept)[title_line] if title_line is not None else None
    return Stripped(kept=kept, removed=removed, metadata=meta, changes=changes, title=title,
                    title_line=title_line, standalone=standalone)


_CAPTION = re.compile(r"[\[(（【]\s*(photo|图|圖)\s*[/:：|]|\bphoto\s*(by|:)|供图|[摄攝]\W*$|[摄攝]影[报報]道\W*$", _I)  # a picture's caption is content
_DATELINE = re.compile(r"^\W*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*月\s*\d{1,2}\s*日|[A-Z][A-Za-z]+,?\s+\w+\.?\s+\d{1,2}\s*[,(（—–-]|[A-Z]{3,}[A-Z ,]*\s*[,(（—–-])")
_BYLINE_ANY = re.compile(r"^\W*(by|written\s+by|reporter|correspondent)\b|^\W*(本报记者|记者|通讯员|文/|文 /|图/|作者)", _I)


def _title_like(text: str, units: _Units | None = None) -> bool:
    """Short and not a finished sentence (a question or exclamation may be a title)."""
    s = text.strip()
    if not s or len(s) > 200 or (s[-1:] in ".。;；:：," and not s.endswith("...")):
        return False
    return (_units(s) if units is None else units[s]) <= 40


def _headline(kept: list[tuple[int, str]], likely: int | None = None,
              units: _Units | None = None) -> tuple[int | None, set[int]]:
    """The raw line number of the headline, and the kept lines that stand alone.

    The headline is the first kept line when it reads as a title (or, when that is
    a short line, a site name say, the longer title-like line nearest above the first
    body paragraph, ``likely``).  Standing alone: the headline, a short line repeating it close
    below, and a dateline or byline among the first lines: a broken-line join must
    never cross them.
    """
    if units is None:
        units = _Units()
    standalone: set[int] = set()
    title = None
    first = 0
    lead = 0  # date lines above the headline stand alone and are passed over
    while lead < min(len(kept), 3) and _date_only(kept[lead][1]):
        standalone.add(kept[lead][0])
        lead += 1
    head = kept[lead:]
    if head and _title_like(head[0][1], units):
        standalone.add(head[0][0])
        at = {i: k for k, (i, _) in enumerate(head)}
        first = at.get(likely, 0) if likely is not None else 0
        cand = head[first][1]
        if first > 6 or units[head[0][1]] >= 6 or units[cand] < units[head[0][1]] + 3 or cand[:1].islower():
            first = 0  # the first kept line, unless it is a short line (a site name) above a longer title
        title = head[first][0]
        standalone.add(title)
        key = _norm_key(head[first][1])
        for i, text in head[first + 1:first + 5]:
            k = _norm_key(text)
            if k == key or (len(k) <= len(key) + 20 and key in k) or (len(key) <= len(k) + 20 and len(k) >= 4 and k in key):
                standalone.add(i)
    for i, text in kept[:6]:
        if not _ends_sentence(text) and (_DATELINE.match(text) or _BYLINE_ANY.match(text)) and units[text] <= 16:
            standalone.add(i)
    for i, text in kept[:_HEAD_TITLES]:
        if text[-1:] == "号" and _DOC_NUMBER.match(text):
            standalone.add(i)  # an official document's number: the title above it and the addressees below are not one sentence
    # a title-like line above a much longer paragraph near the top is a headline too (the first kept
    # line may be a site name or a widget the cues did not know): never joined to the paragraph
    for (i, text), (_, nxt) in zip(kept[:_HEAD_TITLES], kept[1:_HEAD_TITLES + 1]):
        # the cheap tests first: most lines here are paragraphs that end a sentence
        if text.rstrip()[-1:] not in _CONTINUES and not nxt[:1].islower() and _title_like(text, units) \
                and 3 <= units[text] <= 30 and units[nxt] >= max(15.0, 2.0 * units[text]):
            standalone.add(i)
    return title, standalone


_HEAD_TITLES = 10  # how many kept lines from the top may hold the headline
_CONTINUES = frozenset(",，、;；:：-–—(（[【“\"'‘")  # a line ending so goes on in the next
