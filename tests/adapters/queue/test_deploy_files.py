"""The deployment files name commands the CLI has, and wire every process to the one Redis."""

from __future__ import annotations

import shlex
import tomllib

import yaml

from adapters.cli import _parser
from tests.support.paths import REPO


def test_every_procfile_line_and_compose_service_runs_a_real_command() -> None:
    commands = []
    for line in (REPO / "Procfile").read_text(encoding="utf-8").splitlines():
        name, _, command = line.partition(":")
        commands.append((name, shlex.split(command)))
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    for name, service in compose["services"].items():
        if name != "redis":
            commands.append((name, service["command"]))
    assert {"worker", "slack", "discord"} <= {name for name, _ in commands}
    for name, argv in commands:
        assert argv[0] == "factcheck", name
        _parser().parse_args(argv[1:])  # exits 2 on an unknown subcommand or option


def test_compose_gives_every_bot_process_the_redis_it_starts() -> None:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert "--appendonly" in services["redis"]["command"]  # the queue survives a Redis restart
    for name in ("slack", "discord", "worker"):
        service = services[name]
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0", name
        assert service["depends_on"]["redis"]["condition"] == "service_healthy", name
    assert services["worker"]["deploy"]["replicas"] >= 2


def test_the_image_holds_every_package_the_project_installs() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    packages = [name.rstrip("*") for name in project["tool"]["setuptools"]["packages"]["find"]["include"]]
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    for package in packages:
        assert f"COPY {package} {package}" in dockerfile, package
    assert "README.md" in dockerfile  # pyproject's readme: pip install . needs it
    assert "scripts/build_encoder.py --out" in dockerfile  # offline reports score with the encoder, as after make
