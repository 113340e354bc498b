"""Core's schema extensions, given to strawberry as factories so each operation gets its own.

Limits: depth, tokens, aliases, cost (each a validation error naming the limit); parse and
validation caches with a bounded size (validation is the fixed cost of every operation: a known
document is validated once); in production, introspection off and unexpected errors masked.
Every error is coded and logged as what it is: a client mistake at INFO, an unexpected error
once at ERROR with a request id that the response carries.
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
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.relay.types import InvalidGlobalIDError
from tortoise.exceptions import ValidationError

from linli.core.context import new_request_id
from linli.core.decoding import RefuseNulText
from linli.core.errors import refusal_from_validation
from linli.core.i18n import DEFAULT, translate
from linli.core.response_cache import ResponseCacheMarks
from linli.core.settings import Settings
from linli.schema.query_limits import LimitError, query_limits_rule

log = logging.getLogger("linli.graphql")


def _expected(error: GraphQLError) -> bool:
    """Errors we raised on purpose, and errors in the request itself, are safe to show."""
    original = error.original_error
    # ApiError is a GraphQLError; a GraphQLError inside is a request error (bad variables).
    return original is None or isinstance(original, GraphQLError)


class UnexpectedErrors(SchemaExtension):
    """Every unexpected resolver exception is logged once, at ERROR with its traceback and the
    request's id, and answered with ``extensions: {code: INTERNAL, requestId}``: the operator
    finds the log line from what the client reports. In production its message is masked.
    (Expected errors, and errors in the request itself, pass unchanged.)"""

    def __init__(self, *, production: bool = False) -> None:
        self.production = production

    def on_operation(self) -> Any:
        yield
        result = self.execution_context.result
        if result is None or not getattr(result, "errors", None):
            return
        context = self.execution_context.context
        request_id = getattr(context, "request_id", None) or new_request_id()
        result.errors = [self._classify(error, request_id) for error in result.errors]

    def _classify(self, error: GraphQLError, request_id: str) -> GraphQLError:
        if _expected(error):
            return error
        if isinstance(error.original_error, ValidationError):
            # A value the model refuses (a string past its column): the client's mistake.
            refusal = refusal_from_validation(error.original_error)
            locale = getattr(self.execution_context.context, "locale", DEFAULT)
            message = translate(refusal.code, locale, **refusal.params)
            extensions = {"code": refusal.code, "field": refusal.field}
            return GraphQLError(
                message, error.nodes, error.source, error.positions, error.path, None, extensions
            )
        return self._internal(error, request_id)

    def _internal(self, error: GraphQLError, request_id: str) -> GraphQLError:
        original = error.original_error
        log.error(
            "unexpected error in %s (request %s): %s",
            ".".join(map(str, error.path or ())) or "-",
            request_id,
            type(original).__name__,
            exc_info=original,
        )
        return GraphQLError(
            "Unexpected error." if self.production else error.message,
            error.nodes,
            error.source,
            error.positions,
            error.path,
            None,
            {"code": "INTERNAL", "requestId": request_id},
        )


# graphql-core's limit errors are plain messages: each gets a code and a localized message.
# (pattern, code, the Limits field that says the limit when the text doesn't)
LIMIT_ERRORS = (
    (re.compile(r"Document is nested too deeply"), "QUERY_TOO_DEEP", "max_depth"),
    (re.compile(r"Document contains more than (?P<max>\d+) tokens"), "QUERY_TOO_LARGE", ""),
)


class CodedLimitErrors(SchemaExtension):
    """Every error in the request itself answers with ``extensions.code`` and a localized
    message: the depth, alias, cost and token limits their own codes, other syntax errors
    GRAPHQL_PARSE_FAILED, other validation errors GRAPHQL_VALIDATION_FAILED (graphql-core's
    message, its values scrubbed), bad variables INVALID_INPUT. Each such client
    mistake is logged at INFO with its code, never as an error.

    A parse error is raised through this hook (the parser cache parses in ``on_parse``) and is
    replaced on its way out; validation errors are replaced in the result, never changed in
    place (the validation cache holds them).
    """

    _validation_errors: frozenset[int] = frozenset()

    def on_validate(self) -> Any:
        yield
        errors = self.execution_context.pre_execution_errors or ()
        self._validation_errors = frozenset(id(error) for error in errors)

    def on_operation(self) -> Any:
        try:
            yield
        except GraphQLError as error:
            coded = self._coded(error)
            log.info("request refused: %s", (coded.extensions or {}).get("code"))
            raise coded from None
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            result.errors = [self._coded(error) for error in result.errors]
            refused = [
                (error.extensions or {}).get("code") for error in result.errors if _expected(error)
            ]
            if refused:
                log.info("request refused: %s", ", ".join(map(str, refused)))

    def on_stream_result(self, result: Any) -> Any:
        # Over a websocket each result of the stream is sent as it comes: ``on_operation``
        # sees the subscription's results only after the stream has ended, so code them here
        # too (coding is idempotent: an error that has its code keeps it).
        if getattr(result, "errors", None):
            result.errors = [self._coded(error) for error in result.errors]
        yield

    def _coded(self, error: GraphQLError) -> GraphQLError:
        context = self.execution_context.context
        locale = getattr(context, "locale", DEFAULT)
        if isinstance(error, LimitError):
            return self._replace(error, error.code, translate(error.code, locale, **error.params))
        if error.extensions and "code" in error.extensions:
            return error
        if isinstance(error.original_error, InvalidGlobalIDError):
            # An ID argument that is no global id (strawberry decodes it as the field starts).
            return self._replace(
                error, "INVALID_INPUT", translate("INVALID_INPUT", locale, detail="ID")
            )
        if error.path is not None:
            return error
        if error.original_error is not None and not isinstance(error.original_error, GraphQLError):
            return error
        for pattern, code, limit in LIMIT_ERRORS:
            if match := pattern.search(error.message):
                params = match.groupdict()
                if limit:
                    params["max"] = getattr(context.settings.limits, limit, "?")
                return self._replace(error, code, translate(code, locale, **params))
        if id(error) in self._validation_errors:
            code = "GRAPHQL_VALIDATION_FAILED"
        elif error.message.startswith("Syntax Error"):
            code = "GRAPHQL_PARSE_FAILED"
        else:
            code = "INVALID_INPUT"
        # graphql-core's message (English, the spec's wording, values already scrubbed) stays:
        # it names the field or fragment at fault, which a translation could only paraphrase.
        return self._replace(error, code, error.message)

    @staticmethod
    def _replace(error: GraphQLError, code: str, message: str) -> GraphQLError:
        return GraphQLError(
            message,
            error.nodes,
            error.source,
            error.positions,
            error.path,
            error.original_error,
            {"code": code},
        )


# graphql-core repeats the offending input in its coercion messages ("..., found: {...}",
# "cannot represent a non string value: ..."): a password, a code or an ID number sent with a
# wrong type or beside a missing field would reach the response and the log. Cut the values.
_VALUE_PATTERNS = (
    (re.compile(r",?\s*found:?\s.*$", re.S), ""),
    (re.compile(r"(cannot represent [^:]*?value)\s*:\s.*$", re.S), r"\1"),
    (re.compile(r"Value '.*?' does not exist", re.S), "The value does not exist"),
    (re.compile(r"got invalid value .*?(;|$)", re.S), r"got an invalid value\1"),
    (re.compile(r"(cannot represent an? \w+)\s*:\s*\".*$", re.S), r"\1"),
    (re.compile(r"(GraphQL (Node )?type), received `.*?`", re.S), r"\1"),
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
        # The limits rule is made once: a new rule class per operation (as strawberry's limiter
        # extensions make) would keep the validation cache (keyed by the rules) from hitting.
        functools.partial(
            AddValidationRules,
            [
                query_limits_rule(
                    limits.max_depth, limits.max_aliases, limits.max_cost, limits.max_page_size
                )
            ],
        ),
        functools.partial(UnexpectedErrors, production=settings.production),
        CodedLimitErrors,
        RefuseNulText,
        ResponseCacheMarks,
    ]
    if settings.production:
        extensions.append(functools.partial(AddValidationRules, [NoSchemaIntrospectionCustomRule]))
    if settings.trusted_documents:  # every path, websockets too (core/persisted.py)
        from linli.core import persisted

        rule = persisted.trusted_rule(persisted.load_manifest(settings.persisted_manifest))
        extensions.append(functools.partial(AddValidationRules, [rule]))
    return extensions
