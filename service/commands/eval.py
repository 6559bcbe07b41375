"""``actorgraph eval GOLD.json ARTICLES... [--json] [--verbose]``: the extractor's accuracy on
annotated articles."""
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
                                   "relations overall and by type, entities, cross-article resolution, dates.")
    p.add_argument("gold", type=Path, metavar="GOLD.json", help="the gold graph")
    p.add_argument("paths", nargs="+", metavar="ARTICLES", help="the annotated articles (files or folders)")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument("--verbose", action="store_true",
                   help="also list missed and wrong relations with their sentences, unmatched and merged actors")
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
    extractor = Extractor(model=settings.nlp_model, extra_vocab=tuple(args.vocab) + settings.vocab_dirs)
    published = {a["file"]: a.get("published") for a in gold.get("articles", [])}
    errors: list = []

    def feed():
        for raw in read_articles(args.paths, errors, settings.max_article_bytes):
            if args.feed_dates and not raw.published:
                raw.published = published.get(Path(raw.id).name)
            yield raw

    batch = extractor.extract(feed())
    for err in errors:
        print(f"actorgraph: skipped {err}", file=sys.stderr)
    pred = batch.to_dict()
    res = score(gold, pred, verbose=args.verbose)
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
    return 1 if errors else 0
