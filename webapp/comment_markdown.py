"""Comments as HTML: Markdown with raw HTML off and only a small safe subset on (paragraphs,
emphasis, code, lists, line breaks, links to http(s) addresses), and `@username` mentions highlighted. Anything else a comment
holds (tags, images, javascript: links, headings) is shown as the text that was typed."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from engine.services.comments import MENTION

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
    renderer.core.ruler.push("mentions", _mark_mentions)
    renderer.add_render_rule("mention", lambda _html, tokens, index, _options, _env:
                             f'<span class="mention">{escape(tokens[index].content)}</span>')
    return renderer


def _mark_mentions(state) -> None:
    """`@username` in plain text (not in links or code) becomes a `mention` token, drawn highlighted."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, in_link = [], 0
        for token in block.children:
            in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type != "text" or in_link or "@" not in token.content:
                children.append(token)
                continue
            position = 0
            for found in MENTION.finditer(token.content):
                name = found.group(1).rstrip(".")
                start, end = found.start(), found.start() + 1 + len(name)
                if start > position:
                    children.append(Token("text", "", 0, content=token.content[position:start]))
                children.append(Token("mention", "", 0, content="@" + name))
                position = end
            if position < len(token.content):
                children.append(Token("text", "", 0, content=token.content[position:]))
        block.children = children


_RENDERER = _markdown()


def render_comment(body: str) -> Markup:
    """Safe HTML of a comment's Markdown."""
    return Markup(_RENDERER.render(body or ""))
