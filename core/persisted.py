"""Persisted operations: Apollo's automatic persisted queries, and trusted documents.

Automatic persisted queries (APQ), as Apollo Client's persisted-queries link and urql's
``persistedExchange`` speak them: the client sends only ``extensions.persistedQuery =
{"version": 1, "sha256Hash": "<hex>"}``. If this instance knows the hash, the stored
document runs; if not, the answer is ``PersistedQueryNotFound`` (HTTP 200, code
``PERSISTED_QUERY_NOT_FOUND``, the message exactly Apollo's: clients match on it) and the
client sends the query once with its hash, which is checked and remembered. Over GET the
request is short and the same for everyone, so a proxy can cache an anonymous answer (see
``cache_control``). Each instance (each ``--workers`` process) learns a hash on its own: a
miss costs one extra request per instance per document.

Trusted documents (``LINLI_TRUSTED_DOCUMENTS=1``, production): only the operations of the
manifest (``LINLI_PERSISTED_MANIFEST``) run, whether sent by hash or as identical text;
nothing is learnt at runtime. The HTTP path refuses others before parsing; a validation rule
(``trusted_rule``) refuses them on every other path (websockets) too. Manifest formats, both
checked at start-up (each id must be the sha256 of its body):

- Apollo's ``{"format": "apollo-persisted-query-manifest", "version": 1, "operations":
  [{"id": "<sha256 hex>", "name": "Slots", "type": "query", "body": "query Slots ..."}]}``
  (what ``@apollo/generate-persisted-query-manifest`` writes, and the TypeScript SDK will);
- a flat object ``{"<sha256 hex>": "<document>"}`` (GraphQL Code Generator's client preset,
  ``persistedDocuments``; keys may carry a ``sha256:`` prefix).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graphql import ValidationRule
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.http import GraphQLRequestData

from linli.core.http import request_locale
from linli.core.i18n import translate
from linli.core.settings import Settings
from linli.schema.query_limits import LimitError

HASH = re.compile(r"[0-9a-f]{64}")
NOT_FOUND = "PersistedQueryNotFound"  # Apollo's words: clients look for this message
NOT_SUPPORTED = "PersistedQueryNotSupported"


class PersistedQueryError(Exception):
    """A persisted-operation request refused: ``code``, HTTP ``status``, and for Apollo's two
    protocol errors the fixed ``message`` clients expect (others are localized)."""

    def __init__(self, code: str, status: int = 400, message: str | None = None) -> None:
        super().__init__(code)
        self.code, self.status, self.message = code, status, message


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


class ManifestError(ValueError):
    pass


@functools.lru_cache(maxsize=8)
def load_manifest(path: Path) -> dict[str, str]:
    """hash -> document, from either manifest format; any id that is not its body's sha256
    fails start-up (a client built from another manifest would be refused one by one)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ManifestError(f"persisted manifest {path}: {exc}") from exc
    if isinstance(data, dict) and data.get("format") == "apollo-persisted-query-manifest":
        entries: Iterable[tuple[Any, Any]] = (
            (op.get("id"), op.get("body")) for op in data.get("operations", [])
        )
    elif isinstance(data, dict):
        entries = data.items()
    else:
        raise ManifestError(f"persisted manifest {path}: not an object")
    documents = {}
    for key, body in entries:
        if not isinstance(key, str) or not isinstance(body, str):
            raise ManifestError(f"persisted manifest {path}: an entry without id and body")
        key = key.removeprefix("sha256:")
        if sha256(body) != key:
            raise ManifestError(f"persisted manifest {path}: id {key[:12]}… is not its sha256")
        documents[key] = body
    return documents


class PersistedQueries:
    """One instance's persisted documents: the manifest's, and (unless trusted-only) those
    clients registered, most recently used kept, at most ``size``."""

    def __init__(
        self,
        manifest: dict[str, str] | None = None,
        *,
        learn: bool = True,
        trusted_only: bool = False,
        size: int = 2000,
        max_document_bytes: int = 64 * 1024,
    ) -> None:
        self.manifest = manifest or {}
        self.learn = learn and not trusted_only
        self.trusted_only = trusted_only
        self.size = size
        self.max_document_bytes = max_document_bytes
        self.learnt: OrderedDict[str, str] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings) -> PersistedQueries:
        path = settings.persisted_manifest
        return cls(
            load_manifest(Path(path)) if path else None,
            learn=settings.persisted_queries,
            trusted_only=settings.trusted_documents,
            size=settings.limits.persisted_queries_cache_size,
        )

    def lookup(self, key: str) -> str | None:
        document = self.manifest.get(key)
        if document is None and (document := self.learnt.get(key)) is not None:
            self.learnt.move_to_end(key)
        return document

    def remember(self, key: str, document: str) -> None:
        if key in self.manifest or len(document.encode()) > self.max_document_bytes:
            return
        self.learnt[key] = document
        self.learnt.move_to_end(key)
        while len(self.learnt) > self.size:
            self.learnt.popitem(last=False)

    def apply(
        self, data: GraphQLRequestData | list[GraphQLRequestData]
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The request with its document filled in from the hash (or checked against it);
        raises PersistedQueryError for a request that may not run as sent."""
        for item in data if isinstance(data, list) else [data]:
            self._one(item)
        return data

    def _one(self, item: GraphQLRequestData) -> None:
        extension = (item.extensions or {}).get("persistedQuery")
        if extension is None:
            if self.trusted_only:
                if not isinstance(item.query, str) or sha256(item.query) not in self.manifest:
                    raise PersistedQueryError("QUERY_NOT_IN_SAFELIST")
            return
        if not self.learn and not self.manifest:
            raise PersistedQueryError("PERSISTED_QUERY_NOT_SUPPORTED", 200, NOT_SUPPORTED)
        if not isinstance(extension, dict) or extension.get("version") != 1:
            raise PersistedQueryError("PERSISTED_QUERY_BAD_REQUEST")
        key = extension.get("sha256Hash")
        if not isinstance(key, str) or not HASH.fullmatch(key):
            raise PersistedQueryError("PERSISTED_QUERY_BAD_REQUEST")
        if item.query is None:
            document = self.lookup(key)
            if document is None:
                if self.trusted_only:
                    raise PersistedQueryError("PERSISTED_QUERY_NOT_IN_LIST")
                raise PersistedQueryError("PERSISTED_QUERY_NOT_FOUND", 200, NOT_FOUND)
            item.query = document
            return
        if sha256(item.query) != key:
            raise PersistedQueryError("PERSISTED_QUERY_HASH_MISMATCH")
        if self.trusted_only and key not in self.manifest:
            raise PersistedQueryError("PERSISTED_QUERY_NOT_IN_LIST")
        if self.learn:
            self.remember(key, item.query)


def trusted_rule(manifest: dict[str, str]) -> type[ValidationRule]:
    """A validation rule refusing any document not in the manifest, on every path (the HTTP
    path refuses earlier; subscriptions over websockets reach only this). graphql-core keeps
    the source text on the parsed document, so the rule hashes exactly what was sent."""
    trusted = frozenset(manifest)

    class TrustedDocumentsOnly(ValidationRule):
        def enter_document(self, node: Any, *_: Any) -> Any:
            source = node.loc.source.body if node.loc else None
            if source is None or sha256(source) not in trusted:
                self.report_error(LimitError("QUERY_NOT_IN_SAFELIST", "not trusted", node))
            return self.BREAK

    return TrustedDocumentsOnly


def cache_control(method: str, authenticated: bool, ok: bool, max_age: int) -> str | None:
    """Cache-Control for a GraphQL answer. Only an anonymous GET answered without errors may
    be kept by a shared cache (``public, max-age``; the answer varies only with
    Accept-Language, which ``Vary`` says); any other GET says ``private, no-store`` so a proxy
    never keeps a person's data; POST answers are not cacheable anyway."""
    if method != "GET":
        return None
    if not authenticated and ok and max_age > 0:
        return f"public, max-age={max_age}"
    return "private, no-store"


def error_response(request: Request, exc: PersistedQueryError, default_locale: str) -> Response:
    locale = request_locale(request.headers.get("accept-language"), default_locale)
    message = exc.message or translate(exc.code, locale)
    # Apollo's answer to a miss over GET: never cached, so the retry with the query is seen.
    headers = {"cache-control": "private, no-cache, must-revalidate"}
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": exc.code}}]},
        status_code=exc.status,
        headers=headers if request.method == "GET" else None,
    )
