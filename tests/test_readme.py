"""The README's two set-up commands and CI's use of the test command stay in sync."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands():
    text = (ROOT / "README.md").read_text()
    return dict(re.findall(r"<!-- (\w+-command) -->\n```bash\n(.+?)\n```", text))


def test_readme_has_exactly_two_setup_commands():
    commands = _commands()
    assert set(commands) == {"main-command", "test-command"}
    for command in commands.values():
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install ")
    assert commands["test-command"].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    """.ci/run extracts the command under the marker; check its extraction gives this command."""
    script = (ROOT / ".ci" / "run").read_text()
    extract = re.search(r"test_command=\$\((awk .+)\)\n", script).group(1)
    out = subprocess.run(["bash", "-c", extract], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == _commands()["test-command"]
    assert 'bash -c "$test_command"' in script
