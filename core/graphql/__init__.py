"""The GraphQL kit plugins build their API with: payload errors, Relay nodes and connections.

Conventions (docs/api.md): every mutation takes one ``input`` and returns a payload with its
result and ``errors``; expected failures are data there, each with a ``code`` from the
module's enum, the ``field`` path it concerns and a localized ``message``. Queries and
subscriptions have no payload: their refusals are top-level errors with ``extensions.code``.

The helpers (``examples/linli-notices`` uses the declarative ones), in the order a resolver
meets them, by module:

- ``nodes``: ``pk(gid, "Community", field="communityId")``, the int primary key in a global
  id of that type, or ``Refused(INVALID_INPUT)`` naming the field; ``global_id(type, pk)``
  the reverse; ``ModelNode`` (``class Notice(ModelNode, model=Row, visible="notices.read")``:
  its default ``from_model`` and ``resolve_nodes``), ``from_row``, ``model_nodes``;
- ``payloads``: ``input_type``, ``payload_type`` (``Payload.attempt(info, work)``) and
  ``@mutation(notice=Notice, description=…)``: a service call as a payload with ``errors``;
- ``errors``: ``error_type``, ``attempt``, ``api_errors`` / ``refusal_to_error`` (a refusal
  as a query's or subscription's coded error), ``require_login``;
- ``lists``: ``allowed_community(info, action, gid)``, ``mapped(queryset, convert)`` for
  ``connection`` fields, sliced in SQL, and ``@community_list(Node, description=…)``;
- ``live``: ``follow(topic, Model)`` for subscriptions, the rows the events on a topic name,
  and ``@community_feed(EVENT, description=…)``; ``shared_subscribe(info, topic,
  visibility=roles_in(c))``: the subscribers asking the same thing share one execution of
  each event (``fanout``).

``Info``, ``Node``, ``NodeID``, ``GlobalID`` and ``Connection`` are here too, so an api.py
imports one module. The fields made by ``mutation``, ``community_list`` and
``community_feed`` join the schema without a hook (docs/plugins.md, "Implied hooks").
"""

from strawberry.types import Info

from linli.core.graphql.errors import (
    UserError,
    api_errors,
    attempt,
    context,
    error_type,
    error_type_of,
    refusal_to_error,
    require_login,
)
from linli.core.graphql.fanout import shared_subscribe
from linli.core.graphql.lists import (
    Connection,
    Mapped,
    allowed_community,
    community_list,
    connection,
    mapped,
    node,
)
from linli.core.graphql.live import community_feed, follow, roles_in
from linli.core.graphql.nodes import (
    GlobalID,
    ModelNode,
    Node,
    NodeID,
    from_row,
    global_id,
    model_nodes,
    pk,
    resolve_model_nodes,
)
from linli.core.graphql.payloads import input_type, mutation, payload_type, payload_type_of
from linli.core.response_cache import cached

# The root each kit-made field joins when a plugin leaves the hook implied (core/rooms.py).
ROOT_OF_HOOK = {
    "register_queries": "Query",
    "register_mutations": "Mutation",
    "register_subscriptions": "Subscription",
}

__all__ = [
    "ROOT_OF_HOOK",
    "Connection",
    "GlobalID",
    "Info",
    "Mapped",
    "ModelNode",
    "Node",
    "NodeID",
    "UserError",
    "allowed_community",
    "api_errors",
    "attempt",
    "cached",
    "community_feed",
    "community_list",
    "connection",
    "context",
    "error_type",
    "error_type_of",
    "follow",
    "from_row",
    "global_id",
    "input_type",
    "mapped",
    "model_nodes",
    "mutation",
    "node",
    "payload_type",
    "payload_type_of",
    "pk",
    "refusal_to_error",
    "require_login",
    "resolve_model_nodes",
    "roles_in",
    "shared_subscribe",
]
