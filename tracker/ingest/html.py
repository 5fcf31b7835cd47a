"""Take the article text out of a saved government web page (stdlib html.parser only).

Pages published on 政府网站 wrap the plan in navigation, headers, footers, scripts, share
buttons and "字号:[大][中][小]" furniture. This reader drops script/style/nav/header/footer/aside
elements and elements whose class or id names furniture (nav, menu, breadcrumb, share, footer…);
when the page marks its content with <article> or <main> (holding at least 30% of the page's
text, so a small "article" widget does not hide the rest), only that is kept. Block elements
become line breaks; a table row becomes one line with its cells joined by " | ". The text lines
that are furniture ("打印", "关闭窗口", "当前位置:…") are removed later by `clean_with_warnings`, which also
serves .txt copies of such pages. Markup is parsed, never executed; entities are decoded.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DROPPED_TAGS = frozenset(
    {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "title",
     "iframe", "svg", "select", "button", "object", "canvas", "map"}
)
_FURNITURE_TOKENS = frozenset(
    {"nav", "navbar", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "position",
     "location", "footer", "foot", "share", "bdsharebuttonbox", "sidebar", "topbar", "toolbar",
     "header", "print", "fontsize", "font-size"}
)
_ARTICLE_TAGS = frozenset({"article", "main"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
     "section", "article", "main", "table", "thead", "tbody", "tfoot", "tr", "blockquote", "pre",
     "hr", "center", "form", "fieldset", "address", "figure", "figcaption", "caption", "body"}
)
_VOID_TAGS = frozenset(
    {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source",
     "track", "wbr", "param"}
)
_CELL = "\x1f"  # unit separator: marks a table cell boundary until rows are rendered
_SPACES = re.compile(r"[ \t\r\n\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The codec named by the page's <meta charset> in its first 4 kB, mapped to ours, or None.

    gb2312 and gbk pages are decoded as gb18030 (their superset); an unknown name gives None,
    so detection decides instead.
    """
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    name = match[1].decode("ascii").lower().replace("_", "-")
    if name in {"utf-8", "utf8"}:
        return "utf-8"
    if name in {"gb2312", "gbk", "gb18030", "x-gbk", "cp936"}:
        return "gb18030"
    if name in {"big5", "big5-hkscs", "cp950"}:
        return "big5"
    return None


def html_to_lines(markup: str) -> list[str]:
    """Return the visible article text of `markup` as raw lines (not yet cleaned).

    Never raises on malformed markup: unclosed elements end at the end of the document.
    A page with no text gives [].
    """
    extractor = _Extractor()
    extractor.feed(markup)
    extractor.close()
    article = "".join(extractor.article)
    everything = "".join(extractor.everything)
    # An <article> holding under 30% of the page's text is a teaser or a widget, not the content.
    chosen = article if len(article.strip()) >= 0.3 * len(everything.strip()) > 0 else everything
    lines: list[str] = []
    for raw in chosen.split("\n"):
        if _CELL in raw:
            lines.append(" | ".join(cell.strip() for cell in raw.split(_CELL)))
        else:
            lines.append(raw.strip())
    return lines


class _Extractor(HTMLParser):
    """Collects text outside dropped elements; separately, text inside <article>/<main>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.everything: list[str] = []
        self.article: list[str] = []
        self._drop_stack: list[str] = []
        self._article_depth = 0
        self._pre_depth = 0
        self._cell_open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._drop_stack:
            if tag not in _VOID_TAGS:
                self._drop_stack.append(tag)
            return
        if tag in _DROPPED_TAGS or _is_furniture(attrs):
            if tag not in _VOID_TAGS:
                self._drop_stack.append(tag)
            return
        if tag in _ARTICLE_TAGS:
            self._article_depth += 1
        if tag == "pre":
            self._pre_depth += 1
        if tag in {"td", "th"}:
            self._cell_open = True
            self._emit(_CELL)
        elif tag in {"tr", "table"}:
            self._cell_open = False
            self._emit("\n")
        elif tag in _BLOCK_TAGS:
            self._block_break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._drop_stack and tag in _BLOCK_TAGS:
            self._block_break()

    def handle_endtag(self, tag: str) -> None:
        if self._drop_stack:
            self._close_dropped(tag)
            return
        if tag in _ARTICLE_TAGS and self._article_depth:
            self._emit("\n")
            self._article_depth -= 1
            return
        if tag == "pre" and self._pre_depth:
            self._pre_depth -= 1
        if tag in {"td", "th"}:
            self._cell_open = False
        elif tag in {"tr", "table"}:
            self._cell_open = False
            self._emit("\n")
        elif tag in _BLOCK_TAGS:
            self._block_break()

    def handle_data(self, data: str) -> None:
        if self._drop_stack:
            return
        self._emit(data if self._pre_depth else _SPACES.sub(" ", data))

    def _close_dropped(self, tag: str) -> None:
        """Pop the dropped-element stack up to the matching open tag (tolerating unclosed tags)."""
        if tag not in self._drop_stack:
            return
        while self._drop_stack and self._drop_stack.pop() != tag:
            pass

    def _block_break(self) -> None:
        """A line break — except inside a table cell, where Word-made pages wrap every cell's
        text in <p>: there it is a space, so the row stays one line."""
        self._emit(" " if self._cell_open else "\n")

    def _emit(self, text: str) -> None:
        self.everything.append(text)
        if self._article_depth:
            self.article.append(text)


def _is_furniture(attrs: list[tuple[str, str | None]]) -> bool:
    """True when the element's class or id is a furniture word (nav, share, footer…)."""
    for name, value in attrs:
        if name in {"class", "id"} and value:
            tokens = re.split(r"[\s_]+", value.lower())
            if not _FURNITURE_TOKENS.isdisjoint(tokens):
                return True
    return False
