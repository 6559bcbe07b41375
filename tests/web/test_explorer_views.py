"""The explorer as an analyst uses it, in Debian's Chromium: the first view, the legend, a layout
that is the same on every open and keeps its labels legible, fit, expand, hide and pin, paths read
in their true direction, downloads of exactly what is on screen, and what the page says when an
answer is empty or the server is down.

Expected values come from the API (the same graph: the example articles, plus the markup actor of
test_web), and from what Cytoscape reports of its own drawing (positions, zoom, label boxes).
Screenshots go to the run's temporary folder (printed).
"""
from __future__ import annotations

import itertools
import json

import pytest

from graph.model import relation_key
from tests.web.test_web import (api, base_url, browser, click_element, graph_dict, open_by_search,  # noqa: F401
                                page, shots, wait_until)

pytestmark = pytest.mark.browser

MIN_LABEL_PX = 9
LABEL_OVERLAP_MAX = 0.02  # of the labels' total area


def positions(page) -> dict[str, tuple[float, float]]:
    return {k: (round(x, 1), round(y, 1)) for k, x, y in page.evaluate(
        "actorgraphExplorer.cy.nodes(':visible').map(n => [n.id(), n.position('x'), n.position('y')])")}


def open_hash(page, fragment: str) -> None:
    """A fresh load of the page at ``/#fragment`` (a change of the hash alone loads nothing)."""
    page.goto("about:blank")
    page.goto("/" + fragment)
    wait_until(page, "!!(window.actorgraphExplorer && actorgraphExplorer.cy && "
                     "document.getElementById('cy').dataset.paintMs !== undefined)")


def show(page, actor_id: str) -> None:
    """Click the node and wait for the details panel to be its own (the buttons act on it)."""
    name = page.evaluate(f"actorgraphExplorer.cy.$id({actor_id!r}).data('name')")
    click_element(page, repr(actor_id), "node")
    wait_until(page, f"(document.querySelector('#details h2') || {{}}).textContent === {json.dumps(name)}")


LABELS_JS = """(() => {
  const cy = actorgraphExplorer.cy, zoom = cy.zoom();
  const nodes = cy.nodes(':visible');
  const labelled = nodes.filter(n => n.style('label') !== '');
  const boxes = labelled.map(n => n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true}));
  const ext = {w: cy.width(), h: cy.height()};
  return {zoom, shown: nodes.length, labelled: labelled.length, ext,
          px: labelled.map(n => zoom * parseFloat(n.style('font-size'))),
          boxes: boxes.map(b => [b.x1, b.y1, b.x2, b.y2])};
})()"""


def overlap_ratio(boxes: list[list[float]]) -> float:
    area = sum((x2 - x1) * (y2 - y1) for x1, y1, x2, y2 in boxes)
    shared = 0.0
    for a, b in itertools.combinations(boxes, 2):
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        if w > 0 and h > 0:
            shared += w * h
    return shared / area if area else 0.0


def test_the_first_view_is_an_overview_with_a_legend(page, base_url, shots):
    overview = api(base_url, "/web/overview.json")
    drawn = set(page.evaluate("actorgraphExplorer.cy.nodes(':visible').map(n => n.id())"))
    assert drawn == {n["id"] for n in overview["nodes"]} and len(drawn) > 10
    status = page.locator("#status").text_content()
    assert str(overview["overview"]["actors_total"]) in status
    config = api(base_url, "/web/config.json")
    legend = page.locator("#legend").text_content()
    for entry in [*config["colours"], "2 or more independent sources", "one source only", "subject to object",
                  "path", "pinned"]:
        assert entry in legend, entry
    # The legend's swatches are the drawing's colours and shapes.
    person = page.locator("#legend ul.types li", has_text="Person").locator("svg > *").first
    assert person.get_attribute("fill") == config["colours"]["Person"]
    page.screenshot(path=str(shots / "overview.png"))
    page.locator("#legend-toggle").click()
    assert page.locator("#legend").is_hidden()


def test_a_large_graph_opens_on_its_most_connected_actors(base_url):
    top = api(base_url, "/web/overview.json", limit=5)
    assert top["overview"]["whole"] is False and len(top["nodes"]) == 5
    degree = {i["actor"]["id"]: i["score"] for i in api(base_url, "/centrality", metric="degree", limit=1000)["items"]}
    kept = {n["id"] for n in top["nodes"]}
    assert min(degree[k] for k in kept) >= max(v for k, v in degree.items() if k not in kept)


def test_the_layout_is_the_same_on_every_open(page, base_url):
    reyvik = api(base_url, "/actors", q="Tomas Reyvik")["items"][0]
    open_hash(page, f"#actor={reyvik['id']}&depth=2")
    first = positions(page)
    open_hash(page, f"#actor={reyvik['id']}&depth=2")
    assert positions(page) == first and len(first) > 5
    page.locator("#reset").click()
    assert positions(page) == first


def test_labels_stay_legible_at_depth_3(page, base_url, shots):
    reyvik = api(base_url, "/actors", q="Tomas Reyvik")["items"][0]
    open_hash(page, f"#actor={reyvik['id']}&depth=3")
    ego = api(base_url, "/subgraph", center=reyvik["id"], depth=3)
    labels = page.evaluate(LABELS_JS)
    assert labels["shown"] == len(ego["nodes"]) >= 15
    assert labels["labelled"] >= 0.85 * labels["shown"], labels  # collisions hide few labels
    assert min(labels["px"]) >= MIN_LABEL_PX - 0.01, min(labels["px"])
    ratio = overlap_ratio(labels["boxes"])
    print(f"\ndepth 3: {labels['shown']} actors, {labels['labelled']} labelled at {min(labels['px']):.1f} px, "
          f"label overlap {ratio:.4f}")
    assert ratio <= LABEL_OVERLAP_MAX, ratio
    page.screenshot(path=str(shots / "depth-3.png"))
    # Fit puts every node in the frame (its labels may then be drawn smaller, or not at all).
    page.locator("#fit").click()
    inside = page.evaluate("""(() => { const cy = actorgraphExplorer.cy, e = cy.extent();
      return cy.nodes(':visible').every(n => { const p = n.position();
        return p.x >= e.x1 && p.x <= e.x2 && p.y >= e.y1 && p.y <= e.y2; }); })()""")
    assert inside
    zoom = page.evaluate("actorgraphExplorer.cy.zoom()")
    page.locator("#zoom-in").click()
    assert page.evaluate("actorgraphExplorer.cy.zoom()") == pytest.approx(zoom * 1.25)
    page.screenshot(path=str(shots / "depth-3-fit.png"))


def test_expand_hide_and_pin_a_node_and_download_exactly_the_view(page, base_url, shots, tmp_path):
    page.select_option("#depth", "1")
    brandt = api(base_url, "/actors", q="Admiral Brandt")["items"][0]
    open_by_search(page, "Admiral Brandt", brandt["name"])
    shown = set(page.evaluate("actorgraphExplorer.cy.nodes(':visible').map(n => n.id())"))
    grower = next(n for n in sorted(shown - {brandt["id"]})
                  if {x["id"] for x in api(base_url, "/subgraph", center=n, depth=1)["nodes"]} - shown)
    box = page.locator("#cy").bounding_box()
    pos = page.evaluate(f"actorgraphExplorer.cy.$id({grower!r}).renderedPosition()")
    page.mouse.dblclick(box["x"] + pos["x"], box["y"] + pos["y"])  # a double-click expands
    wait_until(page, f"actorgraphExplorer.cy.nodes(':visible').length > {len(shown)}")
    grown = set(page.evaluate("actorgraphExplorer.cy.nodes(':visible').map(n => n.id())"))
    # Hide one of the new nodes: gone from the drawing and from the download.
    hidden = sorted(grown - shown)[0]
    show(page, hidden)
    page.locator("#node-hide").click()
    wait_until(page, f"!actorgraphExplorer.cy.$id({hidden!r}).visible()")
    assert page.locator("#show-hidden").text_content() == "Show hidden (1)"
    # Pin another: it keeps its place when the view is laid out again.
    pinned = brandt["id"]
    show(page, pinned)
    page.locator("#node-pin").click()
    page.locator("#reset").click()
    page.screenshot(path=str(shots / "expanded-hidden.png"))
    with page.expect_download() as info:
        page.locator("#downloads button[data-format=json]").click()
    path = tmp_path / "view.json"
    info.value.save_as(path)
    got = json.loads(path.read_text(encoding="utf-8"))
    on_screen = set(page.evaluate("actorgraphExplorer.cy.nodes(':visible').map(n => n.id())"))
    edges = set(page.evaluate("actorgraphExplorer.cy.edges(':visible').map(e => e.id())"))
    assert {n["id"] for n in got["nodes"]} == on_screen == grown - {hidden}
    assert {relation_key(e["type"], e["source"], e["target"], e.get("date")) for e in got["edges"]} == edges
    # Reset unpins (the layout is the seeded one again); Show hidden brings the node back.
    assert page.evaluate(f"actorgraphExplorer.cy.$id({pinned!r}).hasClass('pinned')") is False
    page.locator("#show-hidden").click()
    wait_until(page, f"actorgraphExplorer.cy.$id({hidden!r}).visible()")
    assert page.locator("#show-hidden").is_disabled()


def test_pin_holds_a_node_in_place_through_an_expansion(page, base_url):
    page.select_option("#depth", "1")
    reyvik = api(base_url, "/actors", q="Tomas Reyvik")["items"][0]
    open_by_search(page, "Tomas Reyvik", reyvik["name"])
    ids = sorted(set(page.evaluate("actorgraphExplorer.cy.nodes(':visible').map(n => n.id())")) - {reyvik["id"]})
    pinned, grower = ids[0], ids[-1]
    show(page, pinned)
    page.locator("#node-pin").click()
    wait_until(page, "document.getElementById('node-pin').textContent === 'Unpin'")
    before = page.evaluate(f"actorgraphExplorer.cy.$id({pinned!r}).position()")
    count = page.evaluate("actorgraphExplorer.cy.nodes().length")
    show(page, grower)
    page.locator("#node-expand").click()
    wait_until(page, f"actorgraphExplorer.cy.nodes().length > {count}")
    assert page.evaluate(f"actorgraphExplorer.cy.$id({pinned!r}).position()") == before


def _backward_hop(base_url):
    """Two people and the path between them (fewest hops) that crosses a relation against its
    direction (the hop runs from the relation's target to its source)."""
    people = [a for a in api(base_url, "/actors", q="", type="Person", limit=100)["items"]]
    for a, b in itertools.permutations(people, 2):
        answer = api(base_url, "/paths/shortest", source=a["id"], target=b["id"], weights="hops")
        if not answer["found"]:
            continue
        for hop in answer["paths"][0]["hops"]:
            for r, said in zip(hop["relations"], hop["statements"]):
                if r["source"] == hop["target"]["id"] and r["type"] not in ("MET", "SIGNED"):
                    return a, b, answer, said
    return None


def test_a_path_prints_every_hop_in_its_true_direction(page, base_url, shots):
    found = _backward_hop(base_url)
    assert found is not None
    a, b, answer, said = found
    for box, actor in (("#path-from", a), ("#path-to", b)):
        page.fill(box, actor["name"])
        page.wait_for_selector(f"{box}-results li[role=option]")
        page.keyboard.press("Enter")
    page.select_option("#path-rank", "hops")
    page.click("#path-go")
    page.wait_for_selector("#details .statement")
    statements = [" ".join(t.split()) for t in page.locator("#details .statement strong").all_text_contents()]
    assert said in statements
    wanted = [s for p in answer["paths"] for h in p["hops"] for s in h["statements"]]
    assert statements == wanted
    assert "→" not in page.locator("#details").text_content()  # no arrow that could read against a relation
    on_path = set(page.evaluate("actorgraphExplorer.cy.nodes('.path').map(n => n.id())"))
    assert on_path == {x["id"] for p in answer["paths"] for x in p["actors"]}
    page.screenshot(path=str(shots / "path-directions.png"))
    # Clear: no path, the panel emptied, the whole view back in the frame.
    page.click("#path-clear")
    assert page.evaluate("actorgraphExplorer.cy.elements('.path').length") == 0
    assert page.locator("#details .statement").count() == 0


def test_no_path_clears_the_previous_one(page, base_url, shots):
    kessel = api(base_url, "/actors", q="Nadia Kessel")["items"][0]
    ferrante = api(base_url, "/actors", q="Paolo Ferrante")["items"][0]
    kobold = api(base_url, "/actors", q="Kobold")["items"][0]
    assert not api(base_url, "/paths/shortest", source=kessel["id"], target=kobold["id"])["found"]
    for box, name in (("#path-from", kessel["name"]), ("#path-to", ferrante["name"])):
        page.fill(box, name)
        page.wait_for_selector(f"{box}-results li[role=option]")
        page.keyboard.press("Enter")
    page.click("#path-go")
    page.wait_for_selector("#details .statement")
    assert page.evaluate("actorgraphExplorer.cy.elements('.path').length") > 0
    page.fill("#path-to", "Kobold")
    page.wait_for_selector("#path-to-results li[role=option]")
    page.keyboard.press("Enter")
    page.click("#path-go")
    page.wait_for_selector("#details .empty")
    assert page.locator("#details .statement").count() == 0
    assert page.evaluate("actorgraphExplorer.cy.elements('.path').length") == 0
    assert "No path" in page.locator("#status").text_content()
    page.screenshot(path=str(shots / "no-path.png"))


def test_a_stopped_server_is_said_plainly_and_nothing_stale_is_shown(browser, base_url, shots):
    # A page of its own: the browser logs each refused request, which the shared page fixture counts as an error.
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=base_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    reyvik = api(base_url, "/actors", q="Tomas Reyvik")["items"][0]
    open_hash(page, f"#actor={reyvik['id']}&depth=1")
    page.locator("#details h2").wait_for()
    assert page.locator("#details h2").text_content().strip() == reyvik["name"]
    page.route("**/*", lambda route: route.abort("connectionrefused"))  # the server goes away
    click_element(page, repr(reyvik["id"]), "node")
    wait_until(page, "document.body.classList.contains('offline')")
    status = page.locator("#status").text_content()
    assert "does not answer" in status and "Failed to fetch" not in status
    details = page.locator("#details").text_content()
    assert "does not answer" in details and "Failed to fetch" not in details
    assert page.locator("#details h2").count() == 0  # the actor's panel from before is gone
    page.screenshot(path=str(shots / "server-down.png"))
    page.unroute("**/*")
    click_element(page, repr(reyvik["id"]), "node")
    page.locator("#details h2").wait_for()
    wait_until(page, "!document.body.classList.contains('offline')")
    context.close()
    assert errors == []  # said on the page, never an uncaught error
