"""``speerpunt serve``: the web application."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from speerpunt.cli.common import DataOpt


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    db: Annotated[
        str, typer.Option("--db", help="Database URL (SQLite or PostgreSQL).")
    ] = "sqlite:///speerpunt.db",
    data: DataOpt = "be-employment",
    geo_dir: Annotated[
        Path | None,
        typer.Option(
            "--geo-dir",
            help="Folder with NUTS/Statbel geometry for maps (default: $SPEERPUNT_GEO_DIR).",
        ),
    ] = None,
    firms: Annotated[
        Path | None,
        typer.Option(
            "--firms",
            help="Firm records (Parquet/CSV) for the SME structure page (default: $SPEERPUNT_FIRMS).",
        ),
    ] = None,
    anonymous_read: Annotated[
        bool,
        typer.Option(
            "--anonymous-read/--login-to-read", help="Let visitors read without logging in."
        ),
    ] = True,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Mark cookies Secure (when served over https).")
    ] = False,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            help="Address or network of a reverse proxy whose X-Forwarded-For is believed "
            "(repeatable; default none).",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="Worker processes (one per CPU core serves more users; uploads then need "
            "the upload store on disk).",
        ),
    ] = 1,
) -> None:
    """Start the web application: dashboards, screening workbench, registry, reports, JSON API.

    On first start with an empty database the registry is loaded from the curated dataset and an admin
    account is created; its password is read from SPEERPUNT_ADMIN_PASSWORD or generated and printed once.

    Example: speerpunt serve --port 8000 --db sqlite:///speerpunt.db --data be-employment
    """
    import uvicorn

    from speerpunt.web import create_app
    from speerpunt.web.config import Settings
    from speerpunt.web.setup import bootstrap

    settings = Settings.from_env(
        db_url=db,
        data=data,
        anonymous_read=anonymous_read,
        secure_cookies=secure_cookies or None,
        geo_dir=str(geo_dir) if geo_dir is not None else None,
        firms=str(firms) if firms is not None else None,
        trusted_proxies=tuple(trusted_proxy) if trusted_proxy else None,
    )
    app = create_app(settings)
    app.state.workspace.panel()  # load (and validate) the data before accepting requests
    done = bootstrap(app)
    if done["registry"]:
        typer.echo("registry initialised from the curated dataset")
    if done["admin"]:
        if done["password"]:
            typer.echo(f"created user '{done['admin']}' (admin) with password: {done['password']}")
            typer.echo("  (shown once; set SPEERPUNT_ADMIN_PASSWORD to choose it)")
        else:
            typer.echo(
                f"created user '{done['admin']}' (admin) with the password from SPEERPUNT_ADMIN_PASSWORD"
            )
    typer.echo(f"speerpunt is running at http://{host}:{port}/  (Ctrl+C to stop)", err=False)
    # Forwarded headers are judged by the app against --trusted-proxy only (uvicorn would trust localhost).
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
        return
    # Each worker builds its own app from the environment; they share the database, the data set and
    # the key that signs CSRF tokens (so a form served by one worker is accepted by another).
    os.environ.update(
        SPEERPUNT_DB=db,
        SPEERPUNT_DATA=data,
        SPEERPUNT_SECRET_KEY=settings.secret_key,
        SPEERPUNT_ANONYMOUS_READ="1" if anonymous_read else "0",
        SPEERPUNT_SECURE_COOKIES="1" if settings.secure_cookies else "0",
        SPEERPUNT_TRUSTED_PROXIES=",".join(settings.trusted_proxies),
    )
    if settings.geo_dir:
        os.environ["SPEERPUNT_GEO_DIR"] = settings.geo_dir
    if settings.files_dir:
        os.environ["SPEERPUNT_FILES_DIR"] = settings.files_dir
    if settings.firms:
        os.environ["SPEERPUNT_FIRMS"] = settings.firms
    uvicorn.run(
        "speerpunt.web.app:from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=False,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
