"""Python client of the Linli GraphQL API.

::

    from linli_client import LinliClient

    async with LinliClient("http://127.0.0.1:8000", locale="en") as client:
        await client.login("+8613800000000", "secret")
        data = await client.execute("query { me { id } }")
"""

from .client import LinliClient
from .errors import (
    CLOSE_CODES,
    UNAUTHENTICATED,
    ConnectionClosed,
    GraphQLErrors,
    LinliError,
    ProtocolError,
    TransportError,
    UserError,
    UserErrors,
    user_errors,
)
from .ws import GraphQLWebSocket, Subscription

__version__ = "0.1.0"

__all__ = [
    "CLOSE_CODES",
    "UNAUTHENTICATED",
    "ConnectionClosed",
    "GraphQLErrors",
    "GraphQLWebSocket",
    "LinliClient",
    "LinliError",
    "ProtocolError",
    "Subscription",
    "TransportError",
    "UserError",
    "UserErrors",
    "__version__",
    "user_errors",
]
