"""The web app (clients/web), served at ``/app/`` once it has been built.

``npm run build`` in clients/web writes ``clients/web/dist``; when its ``index.html`` is
there (or in ``LINLI_WEB_APP_DIR``), ``linli serve`` serves it, same origin as /graphql, so
the app needs no CORS and its service worker's scope is ``/app/``. Without a build there is
no route: the API works with Python alone.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from starlette.responses import RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

BUILT = Path(__file__).resolve().parents[1] / "clients" / "web" / "dist"


def web_app_dir() -> Path | None:
    folder = Path(os.environ.get("LINLI_WEB_APP_DIR") or BUILT)
    return folder if (folder / "index.html").is_file() else None


class AppFiles(StaticFiles):
    """The built files; the shell (index.html) is never cached by a proxy or the browser, so a
    new build is seen at once (the hashed assets may be kept)."""

    def file_response(self, full_path: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().file_response(full_path, *args, **kwargs)
        name = os.path.basename(str(full_path))
        if name in ("index.html", "sw.js", "manifest.webmanifest"):
            response.headers["cache-control"] = "no-cache"
        return response


def routes() -> list[Any]:
    folder = web_app_dir()
    if folder is None:
        return []

    async def to_app(request: Any) -> RedirectResponse:
        return RedirectResponse("/app/", status_code=308)

    return [Route("/app", to_app), Mount("/app", AppFiles(directory=folder, html=True))]
