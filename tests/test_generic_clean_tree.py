"""crawler.generic.clean_tree: what is removed before lines are read."""

from __future__ import annotations

from crawler.generic.clean_tree import clean_tree, is_marked_boilerplate, parse_html


def text_of(markup: str) -> str:
    return " ".join(clean_tree(parse_html(markup)).text_content().split())


def test_scripts_styles_and_comments_go():
    markup = "<body><script>var a='广告';</script><style>p{}</style><!-- 注释 --><p>正文。</p></body>"
    assert text_of(markup) == "正文。"


def test_tail_text_after_a_removed_element_stays():
    assert text_of("<body><p>前<script>x</script>后</p></body>") == "前后"


def test_nav_aside_footer_go():
    markup = "<body><nav>首页 新闻</nav><p>正文。</p><aside>热点</aside><footer>版权所有</footer></body>"
    assert text_of(markup) == "正文。"


def test_hidden_elements_go():
    assert text_of('<body><div style="display: none">隐藏</div><p>正文。</p></body>') == "正文。"


def test_comment_list_marked_by_class_goes():
    markup = (
        "<body><div class='content'><p>" + "正文很长，" * 20 + "</p></div>"
        "<ol class='commentlist'><li id='comment-12'>网友：说得好，支持。</li></ol></body>"
    )
    assert "网友" not in text_of(markup)


def test_marked_wrapper_holding_most_of_the_page_stays():
    markup = "<body><div class='main-nav-wrapper'><p>" + "正文很长，" * 20 + "</p></div><p>尾</p></body>"
    assert "正文很长" in text_of(markup)


def test_form_is_kept_because_aspnet_wraps_pages_in_one():
    assert text_of("<body><form><p>正文。</p><input value='x'></form></body>") == "正文。"


def test_class_words_are_whole_words():
    element = parse_html("<div class='navigation-free shared-content'></div>").find(".//div")
    assert not is_marked_boilerplate(element)
    assert is_marked_boilerplate(parse_html("<div id='bdshare'></div>").find(".//div"))


def test_empty_page_parses():
    assert parse_html("").tag == "html"


def marked(markup: str) -> bool:
    return is_marked_boilerplate(parse_html(f"<body>{markup}</body>").find(".//body/*"))


def test_camel_case_class_words_are_words():
    assert marked("<div id='relatedArticles'></div>")
    assert marked("<div class='shareCount'></div>")
    assert not marked("<div class='mainContent'></div>")


def test_one_word_share_widget_names():
    assert marked("<div class='bdsharebuttonbox'></div>")
    assert marked("<div class='bshare-custom'></div>")


def test_ads_promotions_and_qr_codes_are_furniture():
    assert marked("<div class='m-block-ad'></div>")
    assert marked("<div class='o-self-promo o-self-promo--app'></div>")
    assert marked("<div class='newsletter-box'></div>")
    assert marked("<div id='qrcode'></div>")
    assert not marked("<div class='header'></div>")


def test_captions_go():
    paragraph = "<p>" + "正文很长，" * 20 + "</p>"
    markup = (
        f"<body>{paragraph}<figure><img src='a.jpg'><figcaption>图为会议现场</figcaption></figure>"
        f"<p class='pic_txt'>记者 张三 摄</p><span class='img-desc'>图片说明</span>{paragraph}</body>"
    )
    text = text_of(markup)
    assert "图为" not in text and "摄" not in text and "图片说明" not in text


def test_comment_forms_go_but_not_page_wrapping_forms():
    paragraph = "<p>" + "正文很长，" * 20 + "</p>"
    form = "<form id='commentform'><label>昵称</label><textarea></textarea></form>"
    assert "昵称" not in text_of(f"<body>{paragraph}{form}</body>")
    assert "正文很长" in text_of(f"<body><form id='commentForm'>{paragraph}</form></body>")


def test_author_cards_go_but_not_bylines():
    paragraph = "<p>" + "正文很长，" * 20 + "</p>"
    card = "<div class='author-card'><p>张三，资深媒体人，长期关注城市发展。</p><span>关注</span></div>"
    assert "资深媒体人" not in text_of(f"<body>{paragraph}{card}</body>")
    assert "记者 张三" in text_of(f"<body><div class='author'>记者 张三</div>{paragraph}</body>")
