"""Its events, declared at module level (implied register_events); core's imported one is
not its own and stays out."""

from linli.core import kit
from linli.core.topics import CORE_EVENTS

HAPPENED = kit.EventType("implied.happened", id=int)
IMPORTED = CORE_EVENTS[0]
