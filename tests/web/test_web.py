"""The explorer page at / in a real headless browser: Debian's Chromium driven by Playwright.

The graph is what the loaders extract from examples/articles (fictional states and people), in a
temporary embedded store, plus one actor whose name, citation and article hold markup. Expected
values come from the JSON API (what the page must show), not from constants. Screenshots go to
the run's temporary folder (printed); ACTORGRAPH_WEB_SCREENSHOT=path also writes the README's.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from graph.stores.embedded.store import EmbeddedStore
from graph.model import Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType, actor_id, relation_key
from service.app import create_app
from tests.api_support import settings
from tests.web.support import RECORD_CSP_VIOLATIONS, chromium_path, serving

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
WEB = REPO / "service" / "web"

MARKUP_NAME = '<img src=x onerror="window.__pwned=1">Kobold<script>window.__pwned=2</script>'
MARKUP_PLACE = "<b>Bold</b> Harbour"
MARKUP_SENTENCE = f"{MARKUP_NAME} visited {MARKUP_PLACE} <i>twice</i>."


def markup_batch() -> GraphBatch:
    """An actor whose name, place, sentence and article title hold HTML, and an article whose url
    is javascript: (which must never become a link)."""
    b = GraphBatch()
    art = "markup-brief.txt"
    b.add_article(Article(id=art, title="<em>Markup</em> brief", published="2026-07-01",
                          source="<u>Wire</u>", url="javascript:window.__pwned=3"))
    person = Actor(id=actor_id(NodeType.PERSON, MARKUP_NAME), type=NodeType.PERSON, name=MARKUP_NAME,
                   aliases=["<svg onload=window.__pwned=4>"])
    place = Actor(id=actor_id(NodeType.PLACE, MARKUP_PLACE), type=NodeType.PLACE, name=MARKUP_PLACE)
    b.add_actor(person)
    b.add_actor(place)
    b.add_relation(Relation(source=person.id, target=place.id, type=RelType.VISITED, date="2026-06-30",
                            provenance=[Provenance(article=art, sentence=MARKUP_SENTENCE, start=0,
                                                   end=len(MARKUP_SENTENCE), confidence=0.8)]))
    return b


@pytest.fixture(scope="module")
def graph_dict() -> dict:
    from loaders.pipeline import Extractor, extract_paths
    result = extract_paths([EXAMPLES / "articles"], extractor=Extractor(extra_vocab=(str(EXAMPLES / "vocab"),)))
    assert not result.errors, result.errors
    return result.batch.to_dict()


@pytest.fixture(scope="module")
def base_url(graph_dict, tmp_path_factory) -> Iterator[str]:
    store = EmbeddedStore(tmp_path_factory.mktemp("web-store") / "graph.json")
    store.upsert(GraphBatch.from_dict(graph_dict))
    store.upsert(markup_batch())
    with serving(create_app(store, settings=settings())) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:  # fail, never skip: a green run means the page was driven in a browser
        pytest.fail("no Chromium: install Debian's `chromium` (scripts/apt-packages.txt) or set ACTORGRAPH_CHROMIUM",
                    pytrace=False)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("web-screenshots")
    print(f"\nweb screenshots: {folder}")
    return folder


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=base_url)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.goto("/")
    wait_until(pg, "!!(window.actorgraphExplorer && window.actorgraphExplorer.state.config)")
    wait_until(pg, "document.getElementById('cy').dataset.paintMs !== undefined")  # the overview, drawn
    yield pg
    violations = pg.evaluate("window.__cspViolations")
    context.close()
    assert violations == [], violations
    assert errors == [], errors


def wait_until(page, js: str, timeout: float = 10.0) -> None:
    """Poll a JS expression from here: Playwright's wait_for_function evaluates strings with eval,
    which this page's CSP (rightly) refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(js):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {js}")
        page.wait_for_timeout(50)


def api(base_url: str, path: str, **params) -> dict:
    r = httpx.get(base_url + path, params=params)
    r.raise_for_status()
    return r.json()


def open_by_search(page, text: str, expected_name: str) -> None:
    """Type into the search box and pick the hit with the keyboard, as an analyst without a mouse."""
    page.focus("#q")
    page.keyboard.type(text)
    page.wait_for_selector("#q-results li[role=option]")
    options = page.locator("#q-results li[role=option]")
    names = [options.nth(i).evaluate("li => li.firstChild.textContent") for i in range(options.count())]
    assert expected_name in names, names
    for _ in range(names.index(expected_name)):
        page.keyboard.press("ArrowDown")
    page.evaluate("document.getElementById('cy').removeAttribute('data-paint-ms')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#cy[data-paint-ms]")


def visible_edges(page) -> set[str]:
    return set(page.evaluate("actorgraphExplorer.cy.edges(':visible').map(e => e.id())"))


def click_element(page, selector_js: str, kind: str) -> None:
    """A real mouse click on the canvas where Cytoscape drew the element. An edge's midpoint can
    lie where another edge crosses it (the layout decides), so points along the edge are tried
    until the page has selected this one (showEdge selects what it shows)."""
    box = page.locator("#cy").bounding_box()
    element = f"actorgraphExplorer.cy.$id({selector_js})"
    if kind != "edge":
        pos = page.evaluate(f"{element}.renderedPosition()")
        page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
        return
    ends = page.evaluate(f"(() => {{ const e = {element}; return [e.renderedMidpoint(), "
                         "e.renderedSourceEndpoint(), e.renderedTargetEndpoint()]; })()")
    mid, source, target = ends
    # The midpoint first (on the curve of a bent parallel edge too), then along the straight line.
    points = [mid] + [{"x": source["x"] + t * (target["x"] - source["x"]),
                       "y": source["y"] + t * (target["y"] - source["y"])} for t in (0.35, 0.65, 0.25, 0.75)]
    for pos in points:
        page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
        if page.evaluate(f"{element}.selected()"):
            return
    raise AssertionError(f"no click on the edge {selector_js} selected it")


def met_key(a: str, b: str, date: str | None) -> str:
    s, t = sorted((a, b))
    return f"MET|{s}|{t}|{date or ''}"


# -- the page's headers and markup ------------------------------------------------------------------

class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.inline, self.styles, self.handlers = [], [], 0, []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [k for k in attrs if k.startswith("on") or k == "style"]
        if tag == "script":
            self.scripts.append(attrs.get("src"))
            self._in_script = True
        self.styles += tag == "style"

    def handle_endtag(self, tag):
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)


def test_the_page_forbids_inline_script_and_sniffing(base_url):
    r = httpx.get(base_url + "/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and "unsafe" not in csp
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert r.headers["x-content-type-options"] == "nosniff"
    parsed = _Scripts()
    parsed.feed(r.text)
    assert parsed.scripts == ["/web/vendor/cytoscape.min.js", "/web/vendor/layout-base.js", "/web/vendor/cose-base.js",
                              "/web/vendor/cytoscape-fcose.js", "/web/app.js"]  # served here, not from a CDN
    assert parsed.inline == [] and parsed.styles == 0 and parsed.handlers == []
    assert 'href="/docs"' in r.text
    for src in parsed.scripts:
        asset = httpx.get(base_url + src)
        assert asset.status_code == 200 and asset.headers["content-type"].startswith("text/javascript")
        assert asset.headers["x-content-type-options"] == "nosniff"


def test_only_the_page_files_are_served(base_url):
    assert httpx.get(base_url + "/web/app.css").status_code == 200
    for name in ("routes.py", "../routes.py", "%2e%2e/routes.py", "index.html", "package.json", "nope.js"):
        assert httpx.get(base_url + "/web/" + name).status_code == 404, name


def test_config_comes_from_the_registries(base_url):
    from graph.exports import FORMATS
    from graph.exports.palette import TYPE_COLOURS, TYPE_SHAPES
    config = api(base_url, "/web/config.json")
    assert config["formats"] == list(FORMATS)
    assert config["colours"] == {t.value: c for t, c in TYPE_COLOURS.items()}
    assert set(config["shapes"]) == set(config["colours"]) and len(set(config["shapes"].values())) == len(TYPE_SHAPES)
    assert config["relation_types"] == [t.value for t in RelType]


def test_the_vendored_cytoscape_is_the_version_npm_locked():
    lock = json.loads((WEB / "package-lock.json").read_text())
    locked = lock["packages"]["node_modules/cytoscape"]["version"]
    assert json.loads((WEB / "package.json").read_text())["dependencies"]["cytoscape"] == locked
    vendored = (WEB / "static" / "vendor" / "cytoscape.min.js").read_text(encoding="utf-8")
    assert re.search(r'\.version="([^"]+)"', vendored)[1] == locked
    installed = WEB / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"
    if installed.exists():  # after scripts/web-vendor: the committed copy is npm's file, byte for byte
        assert installed.read_bytes() == vendored.encode("utf-8")


@pytest.mark.parametrize("package, dist", [("cytoscape-fcose", "cytoscape-fcose.js"), ("cose-base", "cose-base.js"),
                                           ("layout-base", "layout-base.js")])
def test_the_vendored_layout_is_what_npm_locked(package, dist):
    lock = json.loads((WEB / "package-lock.json").read_text())
    entry = lock["packages"][f"node_modules/{package}"]
    assert entry["integrity"].startswith("sha512-")
    if package == "cytoscape-fcose":
        assert json.loads((WEB / "package.json").read_text())["dependencies"][package] == entry["version"]
    vendored = (WEB / "static" / "vendor" / dist).read_bytes()
    assert b"webpackUniversalModuleDefinition" in vendored[:200]  # the UMD build, as npm ships it
    installed = WEB / "node_modules" / package / dist
    if installed.exists():  # after scripts/web-vendor: byte for byte
        assert installed.read_bytes() == vendored


# -- driving the page -------------------------------------------------------------------------------

def test_search_open_network_and_read_an_edges_citation(page, base_url, shots):
    reyvik = api(base_url, "/actors", q="Gen Reyvik")["items"][0]
    meetings = api(base_url, f"/actors/{reyvik['id']}/meetings")["items"]
    meeting = next(m for m in meetings if m["date"])
    cite = meeting["citations"][0]

    open_by_search(page, "gen reyvk", reyvik["name"])  # a rank and a misspelling, forgiven
    print(f"\nfirst paint of {reyvik['name']}'s network: {page.get_attribute('#cy', 'data-paint-ms')} ms "
          "(bench/web.py times 200- and 5,000-node views)")
    assert page.locator("#details h2").text_content().strip() == reyvik["name"]
    edge_count = int(page.locator("#edge-count").text_content())
    ego = api(base_url, "/subgraph", center=reyvik["id"], depth=2)
    assert edge_count == len(ego["edges"]) and int(page.get_attribute("#cy", "data-nodes")) == len(ego["nodes"])
    # Coloured and shaped by type, as the exports are.
    config = api(base_url, "/web/config.json")
    node_style = page.evaluate(f"(() => {{ const n = actorgraphExplorer.cy.$id('{reyvik['id']}'); "
                               "return [n.style('background-color'), n.style('shape')]; })()")
    r, g, b = (int(config["colours"]["Person"][i:i + 2], 16) for i in (1, 3, 5))
    assert node_style == [f"rgb({r},{g},{b})", config["shapes"]["Person"]]

    key = met_key(meeting["actor"]["id"], meeting["counterpart"]["id"], meeting["date"])
    label = page.evaluate(f"actorgraphExplorer.cy.$id('{key}').data('label')")
    assert label == f"MET {meeting['date']}"
    click_element(page, repr(key), "edge")
    quote = page.locator("#details .citation blockquote").first
    quote.wait_for()
    assert quote.text_content() == cite["sentence"]
    marked = page.locator("#details .citation blockquote mark").all_text_contents()
    assert marked and all(m.lower() in cite["sentence"].lower() for m in marked)
    assert f"confidence {cite['confidence']:.2f}" in page.locator("#details .citation").first.text_content()
    assert cite["published"] in page.locator("#details .citation .meta").first.text_content()
    page.screenshot(path=str(shots / "edge-citation.png"))
    target = os.environ.get("ACTORGRAPH_WEB_SCREENSHOT")
    if target:
        shutil.copy(shots / "edge-citation.png", target)


def test_the_date_slider_hides_the_latest_events(page, base_url, shots):
    reyvik = api(base_url, "/actors", q="Tomas Reyvik")["items"][0]
    open_by_search(page, "Tomas Reyvik", reyvik["name"])
    before = visible_edges(page)
    dates = page.evaluate("actorgraphExplorer.state.dates")
    assert len(dates) >= 2
    latest = {k for k in before if k.split("|")[0] in ("MET", "VISITED", "SIGNED", "OFFERED") and k.endswith(dates[-1])}
    assert latest
    page.focus("#until")
    page.keyboard.press("ArrowLeft")  # one date back
    assert page.locator("#until-out").text_content() == dates[-2]
    # the redraw may trail the key press on a busy machine
    wait_until(page, f"actorgraphExplorer.cy.edges(':visible').length < {len(before)}")
    after = visible_edges(page)
    assert latest.isdisjoint(after) and after < before
    # Undated events need the full range, memberships are timeless: as the API's filter reads them.
    window = api(base_url, "/subgraph", center=reyvik["id"], depth=2, until=dates[-2])
    api_keys = {e["type"] for e in window["edges"]}
    assert {k.split("|")[0] for k in after} <= api_keys | {"MEMBER_OF", "PART_OF", "LOCATED_IN"}
    listed = page.locator("#edge-list button").all_text_contents()
    assert len(listed) == len(after) and not any(dates[-1] in t for t in listed)
    # The downloads follow the window: exactly the actors and relations shown.
    shown = page.evaluate("actorgraphExplorer.cy.nodes(':visible').length")
    assert page.locator("#download-count").text_content() == f"{shown} actors, {len(after)} relations"
    page.screenshot(path=str(shots / "date-window.png"))
    page.focus("#until")
    page.keyboard.press("End")
    assert page.evaluate("actorgraphExplorer.state.window") is None
    # the redraw may trail the key press on a busy machine: wait for it, then compare
    wait_until(page, f"actorgraphExplorer.cy.edges(':visible').length === {len(before)}")
    assert visible_edges(page) == before


def test_clicking_a_node_shows_it_and_expands_its_neighbours(page, base_url):
    page.select_option("#depth", "1")
    brandt = api(base_url, "/actors", q="Admiral Brandt")["items"][0]
    open_by_search(page, "Admiral Brandt", brandt["name"])
    shown = set(page.evaluate("actorgraphExplorer.cy.nodes().map(n => n.id())"))
    # A neighbour with neighbours of its own beyond Brandt's ego network.
    detail = None
    for n in sorted(shown - {brandt["id"]}):
        ego = {x["id"] for x in api(base_url, "/subgraph", center=n, depth=1)["nodes"]}
        if ego - shown:
            detail, new = api(base_url, f"/actors/{n}"), ego - shown
            break
    assert detail is not None
    click_element(page, repr(detail["id"]), "node")  # a click selects and shows; Expand grows the view
    page.locator("#node-expand").click()
    wait_until(page, f"actorgraphExplorer.cy.nodes().length > {len(shown)}")
    assert page.locator("#details h2").text_content().strip() == detail["name"]
    text = page.locator("#details").text_content()
    for count_type, n in detail["relation_counts"].items():
        if n:
            assert count_type in text
    for aff in detail["affiliations"]:
        assert aff["actor"]["name"] in text
    now = set(page.evaluate("actorgraphExplorer.cy.nodes().map(n => n.id())"))
    assert new <= now


def test_path_mode_highlights_the_shortest_paths_and_cites_each_hop(page, base_url, shots):
    kessel = api(base_url, "/actors", q="Nadia Kessel")["items"][0]
    ferrante = api(base_url, "/actors", q="Paolo Ferrante")["items"][0]
    answer = api(base_url, "/paths/shortest", source=kessel["id"], target=ferrante["id"], all="true")
    assert answer["found"]
    for box, actor in (("#path-from", kessel), ("#path-to", ferrante)):
        page.fill(box, actor["name"])
        page.wait_for_selector(f"{box}-results li[role=option]")
        page.keyboard.press("Enter")
    page.click("#path-go")
    page.wait_for_selector("#details h3")
    on_path = set(page.evaluate("actorgraphExplorer.cy.nodes('.path').map(n => n.id())"))
    assert on_path == {a["id"] for p in answer["paths"] for a in p["actors"]}
    hops = sum(len(p["hops"]) for p in answer["paths"])
    assert page.locator("#details .hop").count() == hops
    sentences = page.locator("#details .hop blockquote").all_text_contents()
    wanted = {c["sentence"] for p in answer["paths"] for h in p["hops"] for r in h["relations"] for c in r["citations"]}
    assert wanted and wanted <= set(sentences)
    assert str(len(answer["paths"])) in page.locator("#status").text_content()
    page.screenshot(path=str(shots / "path.png"))


def test_centrality_mode_sizes_nodes_by_the_metric(page, base_url):
    reyvik = api(base_url, "/actors", q="Tomas Reyvik")["items"][0]
    open_by_search(page, "Tomas Reyvik", reyvik["name"])
    page.select_option("#metric", "degree")
    wait_until(page, "document.getElementById('status').textContent.startsWith('Sized by degree')")
    sizes = dict(page.evaluate("actorgraphExplorer.cy.nodes().map(n => [n.id(), n.data('size')])"))
    scores = {i["actor"]["id"]: i["score"] for i in api(base_url, "/centrality", metric="degree", limit=1000)["items"]}
    ranked = sorted(sizes, key=lambda n: scores.get(n, 0))
    assert sizes[ranked[-1]] > sizes[ranked[0]]
    assert [sizes[n] for n in ranked] == sorted(sizes[n] for n in ranked)


def test_every_export_format_is_offered_for_the_view(page, base_url, tmp_path):
    reyvik = api(base_url, "/actors", q="Tomas Reyvik")["items"][0]
    open_by_search(page, "Tomas Reyvik", reyvik["name"])
    buttons = page.locator("#downloads button")
    formats = [buttons.nth(i).text_content() for i in range(buttons.count())]
    assert formats == api(base_url, "/web/config.json")["formats"]
    for fmt in ("json", "gexf"):
        with page.expect_download() as info:
            page.locator(f"#downloads button[data-format={fmt}]").click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.suffix == f".{fmt}" and path.stat().st_size > 0, fmt


def test_an_actor_named_with_markup_is_drawn_as_text_and_no_script_runs(page, base_url, shots):
    open_by_search(page, "Kobold", MARKUP_NAME)
    assert page.locator("#details h2").text_content().strip() == MARKUP_NAME
    assert page.evaluate("actorgraphExplorer.cy.nodes().map(n => n.data('name'))").count(MARKUP_NAME) == 1
    key = page.evaluate("actorgraphExplorer.cy.edges()[0].id()")
    click_element(page, repr(key), "edge")
    quote = page.locator("#details .citation blockquote")
    quote.wait_for()
    assert quote.text_content() == MARKUP_SENTENCE
    meta = page.locator("#details .citation .meta").first.text_content()
    assert "<em>Markup</em> brief" in meta and "<u>Wire</u>" in meta
    assert page.locator("#details a").count() == 0  # a javascript: url is never a link
    # The legend's icons are the page's own SVG; anything else of these tags came from the data.
    injected = page.evaluate("[...document.querySelectorAll('body img, body script, body svg, body em, body b, "
                             "body u, body i')].filter(n => !n.closest('#legend')).length")
    assert page.evaluate("document.querySelectorAll('#legend svg').length") > 0
    assert injected == 0
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(shots / "markup.png"))


def test_citations_name_the_outlet_the_page_prints(base_url):
    """The page prints a citation's outlet: the API's citations carry the article's source."""
    santori = api(base_url, "/actors", q="Aldo Santori")["items"][0]
    ego = api(base_url, "/subgraph", center=santori["id"], depth=1)
    outlets = {a["id"]: a.get("source") for a in ego["articles"]}
    cites = [c for m in api(base_url, f"/actors/{santori['id']}/meetings")["items"] for c in m["citations"]]
    assert cites and any(outlets.get(c["article"]) for c in cites)
    assert all(c["source"] == outlets.get(c["article"]) for c in cites)


def test_single_source_edges_are_dashed_and_an_edge_says_its_sources(page, base_url):
    page.select_option("#depth", "1")
    reyvik = api(base_url, "/actors", q="Tomas Reyvik")["items"][0]
    open_by_search(page, "Tomas Reyvik", reyvik["name"])
    edges = {relation_key(e["type"], e["source"], e["target"], e.get("date")): e
             for e in api(base_url, "/subgraph", center=reyvik["id"], depth=1)["edges"]}
    drawn = dict(page.evaluate("actorgraphExplorer.cy.edges().map(e => [e.id(), [e.hasClass('single'), "
                               "e.style('line-style')]])"))
    assert set(drawn) == set(edges)
    for key, e in edges.items():
        single = e["corroboration"]["sources"] < 2
        assert drawn[key] == [single, "dashed" if single else "solid"], key
    key = sorted(edges)[0]
    click_element(page, repr(key), "edge")
    wait_until(page, "document.querySelector('#details dl') !== null")
    c = edges[key]["corroboration"]
    text = page.locator("#details dl").text_content()
    assert f"{c['sources']} outlet" in text and f"{c['articles']} article" in text
