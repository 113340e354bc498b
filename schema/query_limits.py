"""Depth, alias and cost limits of a GraphQL document, in time linear in its size.

strawberry's depth and alias validators walk each operation with every fragment expanded in
place, so a document whose fragments each spread the previous one twice costs 2^n steps to
refuse (1.8 s at 20 fragments, doubling with each one more). Here every fragment is summed up
once (its depth, its aliases, its cost) and a spread adds that summary: the work is one pass
over the document plus one over the fragment graph, whatever the expansion would be.

The cost (OWASP's "query complexity") is what executing the operation could take: each field
costs 1, and the selections under a field taking ``first``/``last`` (a connection) count once
per item it may return: the literal argument, or the page size limit when it is a variable or
absent. A fragment's cost is computed once and multiplied by its uses.

Cycles (``fragment A on T { ...B } fragment B on T { ...A }``) and unknown fragments are
reported by graphql-core's NoFragmentCycles and KnownFragmentNames; here a spread that closes
a cycle or names nothing counts as empty, and nothing recurses along fragment chains (the
order is found with an explicit stack), so no document can loop or exhaust the stack here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
)
from graphql.language import DocumentNode
from graphql.validation import ValidationContext, ValidationRule


class LimitError(GraphQLError):
    """A document over a limit: ``code`` and ``params`` for the localized message, which
    CodedLimitErrors writes per request (validation errors are cached across requests)."""

    def __init__(self, code: str, message: str, node: Any, **params: Any) -> None:
        super().__init__(message, node, extensions={"code": code})
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Summary:
    depth: int = 0
    aliases: int = 0
    cost: int = 0


EMPTY = Summary()


@dataclass(frozen=True)
class Caps:
    max_depth: int
    max_aliases: int
    max_cost: int
    page_size: int


def _spreads(selection_set: SelectionSetNode | None) -> Iterable[str]:
    """The names of the fragments spread anywhere in a selection set (not through them)."""
    stack = [selection_set] if selection_set else []
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection.name.value
            elif selection.selection_set is not None:  # type: ignore[union-attr]
                stack.append(selection.selection_set)  # type: ignore[union-attr]


def fragment_order(fragments: dict[str, FragmentDefinitionNode]) -> list[str]:
    """The fragments, each after every fragment it spreads (edges closing a cycle ignored)."""
    spreads = {
        name: list(dict.fromkeys(_spreads(f.selection_set))) for name, f in fragments.items()
    }
    order: list[str] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    for root in fragments:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(spreads[root]))]
        while stack:
            name, children = stack[-1]
            for child in children:
                if child in fragments and child not in state:
                    state[child] = 1
                    stack.append((child, iter(spreads[child])))
                    break
            else:
                stack.pop()
                state[name] = 2
                order.append(name)
    return order


class _Measure:
    """Sums up selection sets, given the summaries of the fragments already measured."""

    def __init__(self, context: ValidationContext, caps: Caps) -> None:
        self.schema = context.schema
        self.caps = caps
        self.fragments: dict[str, Summary] = {}

    def _cap(self, summary: Summary) -> Summary:
        # Saturate, so that counts stay small integers however large the expansion.
        caps = self.caps
        return Summary(
            summary.depth,
            min(summary.aliases, caps.max_aliases + 1),
            min(summary.cost, caps.max_cost + 1),
        )

    def selection_set(self, node: SelectionSetNode | None, parent: Any) -> Summary:
        depth = aliases = cost = 0
        for selection in node.selections if node else ():
            if isinstance(selection, FieldNode):
                part = self.field(selection, parent)
            elif isinstance(selection, FragmentSpreadNode):
                part = self.fragments.get(selection.name.value, EMPTY)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = self.schema.get_type(condition.name.value) if condition else parent
                part = self.selection_set(selection.selection_set, scope)
            else:  # pragma: no cover - the three kinds of selection
                continue
            depth = max(depth, part.depth)
            aliases += part.aliases
            cost += part.cost
        return self._cap(Summary(depth, aliases, cost))

    def field(self, node: FieldNode, parent: Any) -> Summary:
        own_alias = 1 if node.alias else 0
        definition = None
        fields = getattr(parent, "fields", None)
        if fields is not None:
            definition = fields.get(node.name.value)
        child = get_named_type(definition.type) if definition is not None else None
        inner = self.selection_set(node.selection_set, child) if node.selection_set else EMPTY
        if node.name.value.startswith("__"):
            # Introspection: bounded by the schema's size, and not counted (GraphiQL's
            # introspection query is deeper than any limit an API would set).
            return Summary(0, own_alias + inner.aliases, 0)
        weight = self.weight(node, definition) if node.selection_set else 1
        depth = 1 + inner.depth if node.selection_set else 0
        return self._cap(Summary(depth, own_alias + inner.aliases, 1 + weight * inner.cost))

    def weight(self, node: FieldNode, definition: Any) -> int:
        """How many items a field may return: its ``first``/``last`` when it takes them."""
        if definition is None or not ({"first", "last"} & definition.args.keys()):
            return 1
        page = self.caps.page_size
        given = {a.name.value: a.value for a in node.arguments or ()}
        for name in ("first", "last"):
            value = given.get(name)
            if isinstance(value, IntValueNode):
                # A literal over the page size is refused when executed (PAGE_TOO_LARGE).
                digits = value.value.lstrip("-")
                if value.value.startswith("-"):
                    return 0
                return min(int(digits), page) if len(digits) <= 9 else page
        return page


def query_limits_rule(
    max_depth: int, max_aliases: int, max_cost: int, page_size: int
) -> type[ValidationRule]:
    """A validation rule refusing operations over the limits (one rule class per schema, so
    the validation cache, keyed by the rules, keeps hitting)."""
    caps = Caps(max_depth, max_aliases, max_cost, page_size)

    class QueryLimits(ValidationRule):
        def enter_document(self, document: DocumentNode, *_: Any) -> Any:
            fragments: dict[str, FragmentDefinitionNode] = {}
            for definition in document.definitions:
                if isinstance(definition, FragmentDefinitionNode):
                    fragments.setdefault(definition.name.value, definition)
            measure = _Measure(self.context, caps)
            for name in fragment_order(fragments):
                fragment = fragments[name]
                scope = self.context.schema.get_type(fragment.type_condition.name.value)
                measure.fragments[name] = measure.selection_set(fragment.selection_set, scope)
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    root = self.context.schema.get_root_type(definition.operation)
                    summary = measure.selection_set(definition.selection_set, root)
                    self.check(definition, summary)
            return self.SKIP

        def check(self, operation: OperationDefinitionNode, summary: Summary) -> None:
            name = operation.name.value if operation.name else "anonymous"
            if summary.depth > caps.max_depth:
                self.report_error(
                    LimitError(
                        "QUERY_TOO_DEEP",
                        f"'{name}' exceeds maximum operation depth of {caps.max_depth}",
                        operation,
                        max=caps.max_depth,
                    )
                )
            if summary.aliases > caps.max_aliases:
                self.report_error(
                    LimitError(
                        "TOO_MANY_ALIASES",
                        f"'{name}' has more than {caps.max_aliases} aliases",
                        operation,
                        max=caps.max_aliases,
                    )
                )
            if summary.cost > caps.max_cost:
                self.report_error(
                    LimitError(
                        "QUERY_TOO_COMPLEX",
                        f"'{name}' costs more than {caps.max_cost}",
                        operation,
                        max=caps.max_cost,
                    )
                )

    return QueryLimits
