"""A shorter path through graphql-core for plain attribute fields.

graphql-core builds a resolve-info object for every field it executes, and strawberry then
calls its basic-field resolver, which reads one attribute. A 100-row page has ~600 such leaf
fields (titles, dates, ids), and that bookkeeping is a large share of the request. For a leaf
field (scalar or enum) with strawberry's default resolver and no arguments, while no extension
wraps resolvers, this executor reads the attribute and coerces it directly. Anything else, and
any leaf whose value is null, awaitable or refused by its scalar, takes graphql-core's full
path, which reads the attribute again and reports exactly as it always does (basic fields have
no side effects).
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLNonNull, is_leaf_type
from graphql.pyutils import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


class LeafFastPathExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_field(
        self,
        parent_type: Any,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        if (
            field_def is not None
            and not node.arguments
            and not (self.middleware_manager and self.middleware_manager.middlewares)
            and getattr(field_def.resolve, "_is_default", False)
        ):
            field_type = field_def.type
            if isinstance(field_type, GraphQLNonNull):
                field_type = field_type.of_type
            if is_leaf_type(field_type):
                try:
                    value = field_def.resolve(source, None)
                    if value is not None and not self.is_awaitable(value):
                        coerced = field_type.coerce_output_value(value)
                        if coerced is not None and coerced is not Undefined:
                            return coerced
                except Exception:  # noqa: S110 - the full path below reports it properly
                    pass
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
