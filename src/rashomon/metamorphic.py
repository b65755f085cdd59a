"""Metamorphic relations for neutrality: what must not change a comparison, and how.

A comparison must not depend on anything but the articles' texts and facts:

- permuting the input articles changes nothing (``compare`` puts them in a canonical order
  first; its stages are checked without that order too, through ``canonical``);
- renaming outlets changes nothing but the names;
- swapping two articles' outlet metadata swaps the per-outlet findings (``per_outlet``)
  and nothing else.

Each check is a function that returns the differences it found (``[]`` when the relation
holds), so a test can also prove that a deliberate asymmetry is caught.

    from rashomon.metamorphic import metamorphic_diff
    assert metamorphic_diff(record_a, record_b) == []
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

Record = dict[str, Any]


def canonical(record: Mapping[str, Any], outlet_names: Mapping[str, str] | None = None) -> Record:
    """``record`` (``report.json.comparison_record``) in a form that does not depend on the
    order of the input articles: every id that is a position ("c4", "q3", "f7", "e2") is
    replaced by a key made of the spans it names, and every list is sorted (the order of
    findings is tested elsewhere; here only what is found matters). ``outlet_names`` maps
    outlet names to others (to undo a renaming) wherever a name stands."""
    rec: Record = copy.deepcopy(dict(record))
    claims = {c["id"]: "claim[" + ",".join(sorted(f"{s['article']}#{s['sentence']}" for s in c["sentences"])) + "]"
              for c in rec.get("claims", [])}
    quotes = {q["id"]: f"quote[{q['article']}@{q['start']}-{q['end']}]" for q in rec.get("quotes", [])}
    framing = {f["id"]: f"framing[{f['article']}@{f['start']}-{f['end']}:{f['kind']}]" for f in rec.get("framing", [])}
    entities = {
        e["id"]: "entity[" + (min((f"{m['article']}@{m['start']}" for m in e.get("mentions", [])), default=e["name"])) + "]"
        for e in rec.get("entities", [])
    }
    for c in rec.get("claims", []):
        c["id"] = claims[c["id"]]
    for q in rec.get("quotes", []):
        q["id"] = quotes[q["id"]]
        q["entity"] = entities.get(q.get("entity"), q.get("entity"))
    for f in rec.get("framing", []):
        f["id"] = framing[f["id"]]
        f["claim"] = claims.get(f.get("claim"), f.get("claim"))
        f["entity"] = entities.get(f.get("entity"), f.get("entity"))
    for e in rec.get("entities", []):
        e["id"] = entities[e["id"]]
    for v in rec.get("voices", []):
        v["entity"] = entities.get(v.get("entity"), v.get("entity"))
        for q in v.get("quotes", []):
            q["id"] = quotes.get(q.get("id"), q.get("id"))
    if outlet_names:
        for a in rec.get("articles", []):
            name = a.get("outlet", {}).get("name")
            if name in outlet_names:
                a["outlet"]["name"] = outlet_names[name]
    result: Record = _sorted(rec)
    return result


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def metamorphic_diff(
    expected: Mapping[str, Any], actual: Mapping[str, Any], *, outlet_names: Mapping[str, str] | None = None,
    limit: int = 20,
) -> list[str]:
    """The differences between two comparison records after ``canonical`` (with
    ``outlet_names`` applied to ``actual``), as "path: expected != actual" lines, at most
    ``limit``; [] when the relation holds."""
    out: list[str] = []
    _diff(canonical(expected), canonical(actual, outlet_names), "$", out, limit)
    return out


def _diff(a: Any, b: Any, path: str, out: list[str], limit: int) -> None:
    if len(out) >= limit or a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: {'missing' if k not in a else _short(a[k])} != {'missing' if k not in b else _short(b[k])}")
            else:
                _diff(a[k], b[k], f"{path}.{k}", out, limit)
            if len(out) >= limit:
                return
        return
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            extra = [_short(x) for x in a if x not in b][:2], [_short(x) for x in b if x not in a][:2]
            out.append(f"{path}: {len(a)} items != {len(b)} items (only in expected: {extra[0]}; only in actual: {extra[1]})")
            return
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{path}[{i}]", out, limit)
        return
    out.append(f"{path}: {_short(a)} != {_short(b)}")


def _short(value: Any, width: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[: width - 1] + "…"


def per_outlet(record: Mapping[str, Any]) -> dict[str, Record]:
    """The findings of each outlet (by name; "?" for an unknown outlet): the sentences it
    alone states, the voices it quotes (speaker, kind and words of each quote), and the
    names it uses for each entity."""
    outlet_of = {a["id"]: (a.get("outlet") or {}).get("name") or "?" for a in record.get("articles", [])}
    texts = {a["id"]: {s["id"]: s["text"] for s in a.get("sentences", [])} for a in record.get("articles", [])}
    out: dict[str, Record] = {name: {"unique": [], "quotes": [], "labels": []} for name in outlet_of.values()}
    for c in record.get("claims", []):
        if c["status"] == "unique":
            for s in c["sentences"]:
                out[outlet_of[s["article"]]]["unique"].append(texts[s["article"]].get(s["sentence"], s["sentence"]))
    for q in record.get("quotes", []):
        out[outlet_of[q["article"]]]["quotes"].append([q["speaker"], q["kind"], q["content"]])
    for e in record.get("entities", []):
        for aid, forms in e.get("labels", {}).items():
            out[outlet_of[aid]]["labels"].append([e["name"], sorted(forms)])
    return {k: _sorted(v) for k, v in sorted(out.items())}


def mirror_diff(before: Mapping[str, Any], after: Mapping[str, Any], a: str, b: str, limit: int = 20) -> list[str]:
    """Differences from the mirror relation, ``after`` being the comparison with the outlet
    metadata of articles ``a`` and ``b`` swapped: each of the two outlets' findings must be
    what the other's were, and, the two outlet fields swapped back, nothing else changes.
    (Give two articles whose outlets have no other article in the comparison.)"""
    outlet_of = {x["id"]: (x.get("outlet") or {}).get("name") or "?" for x in before.get("articles", [])}
    names = {outlet_of[a]: outlet_of[b], outlet_of[b]: outlet_of[a]}
    out: list[str] = []
    mirrored = {names.get(k, k): v for k, v in per_outlet(before).items()}
    _diff(_sorted(mirrored), per_outlet(after), "per_outlet", out, limit)
    out += metamorphic_diff(before, swap_outlets(after, a, b), limit=limit - len(out))
    return out


class MemoEncoder:
    """An embedder that answers a call it has seen before from memory: a metamorphic check
    runs one story many times, and the embedding is a pure function of the texts (a call
    differing in any text or in order is passed on, so batching stays as it was)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.info = inner.info
        self._seen: dict[tuple[str, ...], Any] = {}

    def encode(self, texts: Any) -> Any:
        key = tuple(texts)
        if key not in self._seen:
            self._seen[key] = self.inner.encode(texts)
        return self._seen[key].copy()


def swap_outlets(record: Mapping[str, Any], a: str, b: str) -> Record:
    """A copy of ``record`` with the outlet fields of articles ``a`` and ``b`` exchanged (to
    compare a swapped run with the original)."""
    rec: Record = copy.deepcopy(dict(record))
    arts = {x["id"]: x for x in rec.get("articles", [])}
    for key in ("outlet", "outlet_source"):
        if key in arts[a] or key in arts[b]:
            arts[a][key], arts[b][key] = arts[b].get(key), arts[a].get(key)
    return rec


__all__ = ["MemoEncoder", "canonical", "metamorphic_diff", "mirror_diff", "per_outlet", "swap_outlets"]
