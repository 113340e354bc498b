"""Core's schema extensions, given to strawberry as factories so each operation gets its own.

Limits: depth, tokens, aliases (each a validation error naming the limit); parse and validation
caches with a bounded size (validation is the fixed cost of every operation: a known document
is validated once); in production, introspection off and unexpected errors masked.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from graphql.validation import NoSchemaIntrospectionCustomRule

from linli.core.errors import ApiError
from linli.core.settings import Settings

log = logging.getLogger("linli.graphql")


def _expected(error: GraphQLError) -> bool:
    """Errors we raised on purpose, and errors in the request itself, are safe to show."""
    original = error.original_error
    return original is None or isinstance(original, ApiError)


class LogUnexpectedErrors(SchemaExtension):
    """Log every unexpected resolver exception once, with its traceback, before masking."""

    def on_operation(self) -> Any:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or ():
            if not _expected(error):
                log.error("unexpected error in %s", error.path, exc_info=error.original_error)


def core_extensions(settings: Settings) -> list[Any]:
    limits = settings.limits
    extensions: list[Any] = [
        functools.partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        functools.partial(ParserCache, maxsize=limits.parser_cache_size),
        functools.partial(ValidationCache, maxsize=limits.validation_cache_size),
        functools.partial(QueryDepthLimiter, max_depth=limits.max_depth),
        functools.partial(MaxAliasesLimiter, max_alias_count=limits.max_aliases),
        LogUnexpectedErrors,
    ]
    if settings.production:
        extensions.append(
            functools.partial(AddValidationRules, [NoSchemaIntrospectionCustomRule])
        )
        extensions.append(functools.partial(MaskErrors, should_mask_error=lambda e: not _expected(e)))
    return extensions

