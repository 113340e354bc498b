"""``linli booking tick``: the timed work by hand (cron, or when the server's task is off)."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="booking", help="Health-service booking (社区卫生服务预约).", no_args_is_help=True
)


@app.command()
def tick() -> None:
    """Expire lapsed waitlist offers and mark no-shows; safe to run beside the server."""
    from linli.core.cli import console, run_with_database

    from .service import tick as run_tick

    result = run_with_database(run_tick)
    console.print(
        f"offers expired: {result.offers_expired}, no-shows marked: {result.noshows_marked}"
    )
