"""Elections count tests: the helpers module sits next to the tests (importlib import mode)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
