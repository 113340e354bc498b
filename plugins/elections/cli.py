"""``linli elections verify bundle.json``: the standalone verifier (verify.py), as a command.

It runs the very file anyone can download and run with ``python verify.py bundle.json``: no
second copy of the checks, no database.
"""

from __future__ import annotations

import typer

app = typer.Typer(name="elections", help="Committee elections (居委会选举).",
                  no_args_is_help=True)


@app.command()
def verify(bundle: str) -> None:
    """Check a published bundle's hash chains and recount it; exit 0 only if it matches."""
    from . import verify as verifier

    raise typer.Exit(verifier.main([bundle]))
