"""Comments as HTML: Markdown with raw HTML off and only a small safe subset on (paragraphs,
emphasis, code, lists, line breaks, links to http(s) addresses). Anything else a comment
holds (tags, images, javascript: links, headings) is shown as the text that was typed."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

_SUBSET = ["paragraph", "emphasis", "backticks", "fence", "code", "list", "link", "autolink", "newline",
           "escape", "entity"]
_SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)


def _markdown() -> MarkdownIt:
    renderer = MarkdownIt("zero", {"html": False, "breaks": True}).enable(_SUBSET)
    renderer.validateLink = lambda url: bool(_SAFE_LINK.match(url.strip()))

    def link_open(html_renderer, tokens, index, options, env):
        tokens[index].attrSet("rel", "nofollow noopener noreferrer")
        return html_renderer.renderToken(tokens, index, options, env)
    renderer.add_render_rule("link_open", link_open)
    return renderer


_RENDERER = _markdown()


def render_comment(body: str) -> Markup:
    """Safe HTML of a comment's Markdown."""
    return Markup(_RENDERER.render(body or ""))
