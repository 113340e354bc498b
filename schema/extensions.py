"""Core's schema extensions, given to strawberry as factories so each operation gets its own.

Limits: depth, tokens, aliases (each a validation error naming the limit); parse and validation
caches with a bounded size (validation is the fixed cost of every operation: a known document
is validated once); in production, introspection off and unexpected errors masked.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from linli.core.i18n import DEFAULT, translate
from linli.core.settings import Settings

log = logging.getLogger("linli.graphql")


def _expected(error: GraphQLError) -> bool:
    """Errors we raised on purpose, and errors in the request itself, are safe to show."""
    original = error.original_error
    # ApiError is a GraphQLError; a GraphQLError inside is a request error (bad variables).
    return original is None or isinstance(original, GraphQLError)


class LogUnexpectedErrors(SchemaExtension):
    """Log every unexpected resolver exception once, with its traceback, before masking."""

    def on_operation(self) -> Any:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or ():
            if not _expected(error):
                log.error("unexpected error in %s", error.path, exc_info=error.original_error)


# strawberry's and graphql-core's limit errors are plain messages: each gets a code and a
# localized message. (pattern, code, the Limits field that says the limit when the text doesn't)
LIMIT_ERRORS = (
    (re.compile(r"exceeds maximum operation depth of (?P<max>\d+)"), "QUERY_TOO_DEEP", ""),
    (re.compile(r"Document is nested too deeply"), "QUERY_TOO_DEEP", "max_depth"),
    (re.compile(r"aliases found\. Allowed: (?P<max>\d+)"), "TOO_MANY_ALIASES", ""),
    (re.compile(r"Document contains more than (?P<max>\d+) tokens"), "QUERY_TOO_LARGE", ""),
)


class CodedLimitErrors(SchemaExtension):
    """Depth, alias and token limits answer with ``extensions.code`` and a localized message.

    A parse error is raised through this hook (the parser cache parses in ``on_parse``) and is
    replaced on its way out; validation errors are replaced in the result, never changed in
    place (the validation cache holds them).
    """

    def on_operation(self) -> Any:
        try:
            yield
        except GraphQLError as error:
            raise self._coded(error) from None
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            result.errors = [self._coded(error) for error in result.errors]

    def _coded(self, error: GraphQLError) -> GraphQLError:
        if error.extensions and "code" in error.extensions:
            return error
        context = self.execution_context.context
        for pattern, code, limit in LIMIT_ERRORS:
            if match := pattern.search(error.message):
                params = match.groupdict()
                if limit:
                    params["max"] = getattr(context.settings.limits, limit, "?")
                message = translate(code, getattr(context, "locale", DEFAULT), **params)
                return GraphQLError(
                    message,
                    error.nodes,
                    error.source,
                    error.positions,
                    error.path,
                    error.original_error,
                    {"code": code},
                )
        return error


# graphql-core repeats the offending input in its coercion messages ("..., found: {...}",
# "cannot represent a non string value: ..."): a password, a code or an ID number sent with a
# wrong type or beside a missing field would reach the response and the log. Cut the values.
_VALUE_PATTERNS = (
    (re.compile(r",?\s*found:?\s.*$", re.S), ""),
    (re.compile(r"(cannot represent [^:]*?value)\s*:\s.*$", re.S), r"\1"),
    (re.compile(r"Value '.*?' does not exist", re.S), "The value does not exist"),
    (re.compile(r"got invalid value .*?(;|$)", re.S), r"got an invalid value\1"),
)


def scrub_message(message: str) -> str:
    """An error message without the input values graphql-core quotes in it."""
    scrubbed = message
    for pattern, replacement in _VALUE_PATTERNS:
        scrubbed = pattern.sub(replacement, scrubbed)
    if scrubbed != message:
        scrubbed = scrubbed.rstrip(" .;,:") + "."
    return scrubbed


def scrub_errors(errors: list[GraphQLError]) -> None:
    """Remove quoted input values from errors, in place (before logging and the response)."""
    for error in errors:
        while isinstance(error, GraphQLError):
            error.message = scrub_message(error.message)
            error.args = (error.message, *error.args[1:])
            error = error.original_error


def core_extensions(settings: Settings) -> list[Any]:
    limits = settings.limits
    extensions: list[Any] = [
        functools.partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        functools.partial(ParserCache, maxsize=limits.parser_cache_size),
        functools.partial(ValidationCache, maxsize=limits.validation_cache_size),
        # The depth and alias rules are made once: strawberry's limiter extensions make new rule
        # classes per operation, so the validation cache (keyed by the rules) would never hit.
        functools.partial(
            AddValidationRules,
            [
                depth_rule(limits.max_depth, None),
                aliases_rule(limits.max_aliases),
            ],
        ),
        LogUnexpectedErrors,
        CodedLimitErrors,
    ]
    if settings.production:
        extensions.append(functools.partial(AddValidationRules, [NoSchemaIntrospectionCustomRule]))
        extensions.append(
            functools.partial(MaskErrors, should_mask_error=lambda e: not _expected(e))
        )
    return extensions
