"""``linli volunteers tick``: the timed work by hand (cron, or when the server's task is off)."""

from __future__ import annotations

import typer

app = typer.Typer(name="volunteers", help="Volunteer service (志愿服务).", no_args_is_help=True)


@app.command()
def tick() -> None:
    """Send shift reminders, expire minors' pending sign-ups, close open attendance;
    idempotent and safe to run beside the server (or twice at once)."""
    from linli.core.cli import console, run_with_database

    from .service import tick as run_tick

    result = run_with_database(run_tick)
    console.print(
        f"reminders: {result.reminders}, sign-ups expired: {result.expired}, "
        f"attendance closed: {result.closed}"
    )
