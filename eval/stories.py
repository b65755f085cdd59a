"""Score story clustering on ECB+ and BASIL (BCubed), beside a TF-IDF baseline.

    python eval/stories.py ../shared/eval [--check]

Each dataset is clustered whole (all its articles at once, never topic by topic):

- ECB+ (Cybulska & Vossen, LREC 2014): ``ecbplus/text/TOPIC/DOC.txt`` read with
  ``rashomon.ingest.read_articles``, as a user's files would be (no dates; many start
  with their source URL); gold events from ``ecbplus/gold_clusters.json``. Every topic
  holds two different events of the same kind, so merging by topic costs precision.
- BASIL (Fan et al., EMNLP 2019): ``basil/articles/YEAR/*.json``: title, date, outlet
  and body paragraphs become an Article; the gold event is ``triplet-uuid``. The
  annotators' ``main-event``, ``keywords`` and ``main-entities`` fields are not read.

Scores are BCubed precision, recall and F1 (Bagga & Baldwin 1998): for each article,
the share of its predicted story that belongs to its gold event (precision) and the
share of its gold event found in its predicted story (recall), averaged over articles.

The baseline is the plain reference point the issue names: TF-IDF over title and body
(scikit-learn, English stop words, sublinear tf) with average-linkage agglomerative
clustering on cosine distance, cut at 0.8 (the single cut that scored best on both
datasets together, so the baseline is given its best chance).

``--check`` exits 1 when a figure is below eval/floors/stories.json, or when Rashomon's
F1 is not above the baseline's. A missing folder prints that it is skipped and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rashomon.ingest import read_articles  # noqa: E402
from rashomon.model import Article, Outlet, Paragraph  # noqa: E402
from rashomon.stories import cluster_articles  # noqa: E402

FLOORS = ROOT / "eval" / "floors" / "stories.json"
BASIL_OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
BASELINE_CUT = 0.8


def load_ecbplus(folder: Path) -> tuple[list[Article], dict[str, str]]:
    """ECB+ articles as ingest reads them, and each one's gold event."""
    gold_by_path: dict[str, str] = json.loads((folder / "gold_clusters.json").read_text(encoding="utf-8"))
    text = folder / "text"
    articles: list[Article] = []
    gold: dict[str, str] = {}
    for item in read_articles([str(text)]):
        if not isinstance(item, Article):
            print(f"ecbplus: skipped {item}", file=sys.stderr)
            continue
        rel = Path(item.path).relative_to(text).as_posix()
        if rel in gold_by_path:
            articles.append(item)
            gold[item.id] = gold_by_path[rel]
    return articles, gold


def basil_article(path: Path, article_id: str) -> tuple[Article, str, dict[str, object]]:
    """One BASIL JSON file as an Article (title, date, outlet, body paragraphs), with its
    triplet id and the raw record. Shared with eval/trust.py."""
    data = json.loads(path.read_text(encoding="utf-8"))
    title = data.get("title") or None
    text = (title or "") + "\n\n"
    paragraphs = []
    for sentences in data.get("body-paragraphs", []):
        paragraph = " ".join(s.strip() for s in sentences).strip()
        if paragraph:
            paragraphs.append(Paragraph(len(text), len(text) + len(paragraph)))
            text += paragraph + "\n\n"
    source = data.get("source")
    article = Article(
        id=article_id,
        path=article_id,
        text=text,
        title=title,
        title_span=(0, len(title)) if title else None,
        published=(data.get("date") or "")[:10] or None,
        outlet=Outlet(BASIL_OUTLETS.get(source, source)) if source else None,
        outlet_via="metadata" if source else None,
        paragraphs=tuple(paragraphs),
    )
    return article, data["triplet-uuid"], data


def load_basil(folder: Path) -> tuple[list[Article], dict[str, str]]:
    """BASIL articles (title, date, outlet, body paragraphs) and each one's triplet."""
    articles: list[Article] = []
    gold: dict[str, str] = {}
    for path in sorted((folder / "articles").glob("*/*.json")):
        article, triplet, _ = basil_article(path, f"{path.parent.name}/{path.name}")
        articles.append(article)
        gold[article.id] = triplet
    return articles, gold


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall, F1 (Bagga & Baldwin 1998) over the gold's items."""
    clusters: dict[str, set[str]] = defaultdict(set)
    events: dict[str, set[str]] = defaultdict(set)
    for item in gold:
        clusters[predicted[item]].add(item)
        events[gold[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        cluster, event = clusters[predicted[item]], events[gold[item]]
        shared = len(cluster & event)
        precision += shared / len(cluster)
        recall += shared / len(event)
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def rashomon_clusters(articles: Sequence[Article]) -> dict[str, str]:
    return {aid: story.id for story in cluster_articles(articles) for aid in story.articles}


def baseline_clusters(articles: Sequence[Article]) -> dict[str, str]:
    """TF-IDF + average-linkage agglomerative clustering (scikit-learn)."""
    try:
        from sklearn.cluster import AgglomerativeClustering
        from sklearn.feature_extraction.text import TfidfVectorizer
    except ImportError:
        raise SystemExit("stories: the baseline needs scikit-learn: pip install 'rashomon[eval]'") from None
    texts = [f"{a.title or ''}\n{a.body}" for a in articles]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=BASELINE_CUT, metric="cosine", linkage="average"
    ).fit_predict(matrix)
    return {a.id: str(label) for a, label in zip(articles, labels, strict=True)}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", help="the shared eval folder holding ecbplus/ and basil/")
    parser.add_argument("--check", action="store_true", help="exit 1 below the floors or the baseline")
    args = parser.parse_args()
    folder = Path(args.folder)
    loaders = {"ecbplus": load_ecbplus, "basil": load_basil}
    present = {name: folder / name for name in loaders if (folder / name).is_dir()}
    if not present:
        print(f"stories: no ecbplus/ or basil/ under {folder}; skipping (it exists in CI beside the project)")
        return 0
    floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}
    failures: list[str] = []
    print(f"{'dataset':<9} {'system':<9} {'articles':>8} {'events':>6} {'stories':>7} {'P':>6} {'R':>6} {'F1':>6} {'seconds':>8}")
    for name, path in present.items():
        articles, gold = loaders[name](path)
        scores = {}
        for system, run in (("rashomon", rashomon_clusters), ("baseline", baseline_clusters)):
            start = time.perf_counter()
            predicted = run(articles)
            seconds = time.perf_counter() - start
            p, r, f = bcubed(predicted, gold)
            scores[system] = (p, r, f)
            print(
                f"{name:<9} {system:<9} {len(articles):>8} {len(set(gold.values())):>6} "
                f"{len(set(predicted.values())):>7} {p:>6.3f} {r:>6.3f} {f:>6.3f} {seconds:>8.2f}"
            )
        floor = floors.get(name, {})
        ours = dict(zip(("precision", "recall", "f1"), scores["rashomon"], strict=True))
        for metric, value in ours.items():
            if metric in floor and value < floor[metric]:
                failures.append(f"{name} {metric} {value:.3f} < floor {floor[metric]:.3f}")
        if scores["rashomon"][2] <= scores["baseline"][2]:
            failures.append(f"{name} F1 {scores['rashomon'][2]:.3f} is not above the baseline's {scores['baseline'][2]:.3f}")
    for failure in failures:
        print(f"stories: FAIL {failure}")
    if args.check and failures:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
