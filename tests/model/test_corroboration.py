"""graph.model.corroboration: articles, independent outlets and first/last reported dates."""
from graph.model.corroboration import corroborate, outlet_of
from graph.model import Article, Provenance


def _cite(article: str, start: int = 0) -> Provenance:
    return Provenance(article=article, sentence="Gen Reyvik met Adm Tovar.", start=start, end=start + 24)


def test_two_outlets_are_two_sources_and_one_outlet_twice_is_one():
    arts = {
        "a1": Article(id="a1", source="Veloria Daily", published="2026-03-02"),
        "a2": Article(id="a2", source="  veloria   daily ", published="2026-03-01"),
        "a3": Article(id="a3", url="https://www.ostrland-post.example/x", published="2026-03-05"),
    }
    c = corroborate([_cite("a1"), _cite("a1", 40), _cite("a2"), _cite("a3")], arts)
    assert (c.articles, c.sources) == (3, 2)
    assert (c.first_reported, c.last_reported) == ("2026-03-01", "2026-03-05")
    assert c.to_dict() == {"articles": 3, "sources": 2, "first_reported": "2026-03-01",
                           "last_reported": "2026-03-05"}


def test_articles_without_outlet_are_one_unknown_source_together():
    c = corroborate([_cite("x"), _cite("y")], {"x": Article(id="x")})
    assert (c.articles, c.sources, c.unknown, c.first_reported) == (2, 1, 2, None)
    assert outlet_of("x", Article(id="x", url="http://www.a.example/1")) == outlet_of(
        "y", Article(id="y", url="https://a.example/2"))


def test_one_cluster_across_outlets_is_one_source():
    arts = {"a": Article(id="a", source="Veloria Daily", cluster="a"),
            "b": Article(id="b", source="Ostrland Post", cluster="a"),
            "c": Article(id="c", source="Marenzia Herald", cluster="c")}
    assert corroborate([_cite("a"), _cite("b"), _cite("c")], arts).sources == 2


def test_one_article_is_one_source_known_or_not():
    arts = {"a": Article(id="a", source="Veloria Daily", cluster="z"), "b": Article(id="b")}
    for cited, unknown in (("a", 0), ("b", 1), ("missing", 1)):
        c = corroborate([_cite(cited), _cite(cited, 40)], arts)
        assert (c.articles, c.sources, c.unknown) == (1, 1, unknown), cited
    assert (corroborate([], arts).articles, corroborate([], arts).sources) == (0, 0)
