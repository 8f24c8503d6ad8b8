"""The slide decks are cut from the lecture pages (``coursekit.slides``)."""

from coursekit.slides import _from_deck, deck_html, lecture_sections

PAGE = """<html><body><article class="bd-article"><section id="t">
<span id="sec-x"></span><h1>1. A chapter<a class="headerlink" href="#t">#</a></h1>
<div class="admonition"><p>Objectives</p></div>
<section id="a"><h2>1.1. First block</h2><p>See <a href="bibliography.html#b1">[1]</a>
and <a href="#fig-a">Fig. 1.1</a>.</p><img alt="a map" src="../_images/map.png"></section>
<section id="b"><h2>1.2. Second block</h2><p>Text.</p></section>
</section></article></body></html>"""


def test_sections_are_the_h2_blocks_and_links_are_rewritten_for_the_deck():
    title, opening, sections = lecture_sections(PAGE, "book/01_x.html", "slides/01_x.html")
    assert title == "1. A chapter"
    assert "Objectives" in opening and "headerlink" not in opening
    assert [h for h, _ in sections] == ["1.1. First block", "1.2. Second block"]
    first = sections[0][1]
    assert 'href="../book/bibliography.html#b1"' in first
    assert 'href="../book/01_x.html#fig-a"' in first
    assert 'src="../_images/map.png"' in first


def test_urls_outside_the_site_are_kept():
    for url in ("https://doi.org/10.1/x", "mailto:a@b.c", "//cdn.example/x.js"):
        assert _from_deck(url, "book/01_x.html", "slides/01_x.html") == url


def test_a_deck_has_a_title_slide_and_one_slide_per_block():
    title, opening, sections = lecture_sections(PAGE)
    html = deck_html(title, opening, sections, mathjax=None, lecture="../book/01_x.html")
    assert html.count('<section class="slide">') == 3
    assert "<script src=" not in html and "http" not in html
