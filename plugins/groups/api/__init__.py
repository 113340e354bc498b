"""The group registry's GraphQL API, thin over the service package: ``types`` (enums, the
error type, loaders, the node types), ``queries``, ``subscriptions``, ``inputs`` (inputs and
payloads) and ``mutations``."""
