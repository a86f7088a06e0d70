"""`socialmetrics serve` (the web portal) and `socialmetrics users add|remove|reset|list`."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.markup import escape

from socialmetrics.cli.options import ProjectOption
from socialmetrics.cli.render import out, user_errors
from socialmetrics.errors import UsageError

users_app = typer.Typer(help="The web portal's users: admins, analysts, client viewers.")


PasswordStdinOption = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _password(from_stdin: bool) -> str:
    """The password from standard input (--password-stdin) or asked twice on the terminal
    (never an option value: it would stay in the shell's history)."""
    if from_stdin:
        import sys

        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (12 characters or more): ")
    if getpass.getpass("Again: ") != first:
        raise UsageError("the two passwords differ")
    return first


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (lower case).")],
    role: Annotated[str, typer.Option("--role", help="admin, analyst or viewer.")] = "viewer",
    client: Annotated[
        list[str] | None, typer.Option("--client", help="A client a viewer sees (repeat).")
    ] = None,
    password_stdin: PasswordStdinOption = False,
    project: ProjectOption = None,
) -> None:
    """Add a user; the password is asked for (there is no default password)."""
    from socialmetrics.config import load_project
    from socialmetrics.extract.discover import selected_clients
    from socialmetrics.web.users import UserStore

    with user_errors():
        loaded = load_project(project)
        for c in client or []:
            selected_clients(loaded.clients_dir, c)  # the client must exist
        user = UserStore(loaded.root).add(name, role, _password(password_stdin), client or [])
    seen = ", ".join(user.clients) if user.clients else "every client"
    out.print(f"user {escape(user.name)} added ({user.role}; sees {escape(seen)})")


@users_app.command("remove")
def users_remove(
    name: Annotated[str, typer.Argument(help="User name.")], project: ProjectOption = None
) -> None:
    """Remove a user: their sessions end at once."""
    from socialmetrics.config import load_project
    from socialmetrics.web.users import UserStore

    with user_errors():
        UserStore(load_project(project).root).remove(name)
    out.print(f"user {escape(name)} removed")


@users_app.command("reset")
def users_reset(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: PasswordStdinOption = False,
    project: ProjectOption = None,
) -> None:
    """Set a new password; the user's open sessions end."""
    from socialmetrics.config import load_project
    from socialmetrics.web.users import UserStore

    with user_errors():
        UserStore(load_project(project).root).reset(name, _password(password_stdin))
    out.print(f"password of {escape(name)} reset; their sessions have ended")


@users_app.command("list")
def users_list(project: ProjectOption = None) -> None:
    """The users, their roles and clients."""
    from socialmetrics.config import load_project
    from socialmetrics.web.users import UserStore

    with user_errors():
        users = UserStore(load_project(project).root).all()
    for user in users.values():
        seen = ", ".join(user.clients) if user.clients else "every client"
        out.print(f"{escape(user.name)}\t{user.role}\t{escape(seen)}")
    if not users:
        out.print("no users yet: socialmetrics users add <name> --role admin")


def serve(
    host: Annotated[str | None, typer.Option("--host", help="Default: web.host.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Default: web.port.")] = None,
    project: ProjectOption = None,
) -> None:
    """Serve the web portal (127.0.0.1 only unless --host says otherwise)."""
    import uvicorn

    from socialmetrics.config import load_project
    from socialmetrics.web.app import create_app
    from socialmetrics.web.users import UserStore

    with user_errors():
        loaded = load_project(project)
        if not UserStore(loaded.root).all():
            raise UsageError(
                "the portal has no users yet: add one first with "
                "`socialmetrics users add <name> --role admin`"
            )
        app = create_app(loaded)
    bind = host or str(loaded.get("web.host"))
    at = port or int(loaded.get("web.port"))
    out.print(f"socialmetrics portal on http://{escape(bind)}:{at}/ (Ctrl+C stops it)")
    uvicorn.run(app, host=bind, port=at, log_level="warning", proxy_headers=False)
