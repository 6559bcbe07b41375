"""``actorgraph eval GOLD.json ARTICLES... [--json] [--verbose] [--explain]``: the extractor's
accuracy on annotated articles, and with ``--explain`` where it lost what it missed."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="measure the extractor against a hand-annotated gold graph",
                       description="Extract the articles and score the graph against GOLD (the gold format of "
                                   "the evaluation sets: entities with names and aliases, relations per "
                                   "article, optional and ignored names): precision, recall and F1 of the "
                                   "relations overall and by type, entities, cross-article resolution, dates. "
                                   "With --explain each missed gold relation is put at the first stage that "
                                   "lost it (actor not found, name boundary wrong, not resolved to the gold "
                                   "actor, no event form, dropped as negated or planned) and found ones dated "
                                   "wrong at 'wrong date', counted per stage and per type; wrong relations "
                                   "are counted by cause.")
    p.add_argument("gold", type=Path, metavar="GOLD.json", help="the gold graph")
    p.add_argument("paths", nargs="+", metavar="ARTICLES", help="the annotated articles (files or folders)")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument("--verbose", action="store_true",
                   help="also list missed and wrong relations with their sentences, unmatched and merged actors")
    p.add_argument("--explain", action="store_true",
                   help="count the missed relations by the first pipeline stage that lost them, and the "
                        "wrong ones by cause (with --verbose, list them; with --json, an 'explain' object)")
    p.add_argument("--feed-dates", action="store_true",
                   help="date each article by the gold's 'published' when the article itself gives none")
    p.add_argument("--vocab", action="append", default=[], metavar="DIR",
                   help="extra vocabulary folder (a states.json of more states), repeatable; also "
                        "ACTORGRAPH_VOCAB (default: none)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from loaders.evaluation import score, sentences
    from loaders.pipeline import Extractor, read_articles
    from service.settings import get_settings

    try:
        gold = json.loads(args.gold.read_text(encoding="utf-8"))
        gold["entities"], gold["relations"]  # noqa: B018 - the two keys every gold file has
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"actorgraph: {args.gold}: not a gold graph ({exc})", file=sys.stderr)
        return 2
    settings = get_settings()
    extractor = Extractor(model=settings.nlp_model, extra_vocab=tuple(args.vocab) + settings.vocab_dirs,
                          record_dropped=args.explain)
    published = {a["file"]: a.get("published") for a in gold.get("articles", [])}
    errors: list = []

    def feed():
        for raw in read_articles(args.paths, errors, settings.max_article_bytes):
            if args.feed_dates and not raw.published:
                raw.published = published.get(Path(raw.id).name)
            yield raw

    local: dict = {}
    if args.explain:
        from graph.model import GraphBatch
        from loaders.failure import ArticleFailed
        from loaders.explain import explain, summarize
        from loaders.resolve import Resolver

        # extract's loop, keeping each article's reading (its actors and dropped events)
        batch, resolver = GraphBatch(), Resolver(extractor.vocab)
        for raw, graph, meta in extractor.readings(feed()):
            if isinstance(graph, ArticleFailed):  # skipped and named, as extract does
                errors.append(graph)
            elif graph is not None:
                try:
                    resolver.add(graph, meta, batch)
                except Exception as exc:
                    errors.append(ArticleFailed.of(raw.id, exc, "resolving"))
                    continue
                local[Path(raw.id).name] = summarize(graph)
    else:
        batch = extractor.extract(feed(), failures=errors)  # an article the extractor fails on is skipped, named
    for err in errors:
        print(f"actorgraph: skipped {err}", file=sys.stderr)
    pred = batch.to_dict()
    res = score(gold, pred, verbose=args.verbose)
    if args.explain:
        res["explain"] = explain(gold, pred, local)
    if args.json:
        print(json.dumps(res, indent=1, ensure_ascii=False))
        return 1 if errors else 0
    for t, v in res["by_type"].items():
        print(f"{t:<11} P={v['precision']:.2f} R={v['recall']:.2f} F1={v['f1']:.2f}  "
              f"({v['tp']} right of {v['predicted']} found, {v['gold']} in gold)")
    if args.verbose:
        said = sentences(gold, pred)
        for k, note in (("missed", "with the gold's evidence"), ("wrong", "with the sentence cited")):
            print(f"{k}: ({note})")
            for item in res[k]:
                print(f"  {item}  | {said.get(item, '')[:160]}")
        for k in ("unmatched_nodes", "merges", "split_actors"):
            print(f"{k}:")
            for item in res[k]:
                print(f"  {item}")
    r, e, s, d = res["relations"], res["entities"], res["resolution"], res["dates"]
    print(f"entities P={e['precision']:.2f} R={e['recall']:.2f} F1={e['f1']:.2f}; "
          f"typed {e['typed_correctly']}/{e['matched_nodes']}; "
          f"cross-article actors on one node {s['one_node_each']}/{s['cross_article_actors']}; "
          f"dates right {d['correct']}/{d['gold_dated_found']}")
    print(f"relations P={r['precision']:.2f} R={r['recall']:.2f} F1={r['f1']:.2f}")
    if args.explain:
        _print_explain(res["explain"], args.verbose)
    return 1 if errors else 0


def _print_explain(x: dict, verbose: bool) -> None:
    from loaders.explain import DATE, STAGES

    print(f"\nwhere the {x['missed']} missed relations were lost, and the {x['wrong_dates']} found with a "
          f"wrong date (not misses):")
    print(f"  {'stage':<32} {'lost':>5} {'share':>6}")
    for s in x["stages"]:
        print(f"  {s['stage']:<32} {s['count']:>5} {s['share']:>6.0%}")
    short = ["not found", "boundary", "resolution", "no form", "dropped", "date"]
    print(f"\n  {'type':<11}" + "".join(f"{h:>11}" for h in short))
    for t, row in x["by_type"].items():
        print(f"  {t:<11}" + "".join(f"{row[s]:>11}" for s in STAGES))
    print("\nwrong relations by cause: " + ", ".join(f"{c} {n}" for c, n in x["wrong_causes"].items()))
    if not verbose:
        return
    for stage in STAGES:
        items = [i for i in x["items"] if i["stage"] == stage]
        if items:
            print(f"\n{stage} ({len(items)}):" + ("" if stage != DATE else " (found; not a miss)"))
        for i in items:
            print(f"  {i['type']} {i['source']} -> {i['target']}  [{i['article'] or '-'}]")
            if i["evidence"]:
                print(f"    gold: {i['evidence'][:160]}")
            print(f"    had:  {i['instead']}")
    if x["wrong"]:
        print(f"\nwrong relations ({len(x['wrong'])}):")
    for w in x["wrong"]:
        print(f"  wrong ({w['cause']}): {w['type']} {w['source']} -> {w['target']}  [{w['article'] or '-'}]"
              f"  | {w['sentence'][:120]}")
