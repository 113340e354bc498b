"""``linli groups tick``: the timed work by hand (cron, or when the server's task is off)."""

from __future__ import annotations

import typer

app = typer.Typer(name="groups", help="Residents' groups (群众团队核准备案).", no_args_is_help=True)


@app.command()
def tick() -> None:
    """Warn of overdue decisions, open renewal windows, lapse expired groups; safe to run
    beside the server (and twice)."""
    from linli.core.cli import console, run_with_database

    from .service.tick import tick as run_tick

    result = run_with_database(run_tick)
    console.print(
        f"overdue warnings: {result.overdue}, renewal windows opened: {result.renewal_opened}, "
        f"lapsed: {result.lapsed}"
    )
