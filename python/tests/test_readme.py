"""The README's Python quickstart runs as written, from the repository root."""

import contextlib
import io
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_python_blocks_run(monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert len(blocks) >= 2, "the README has a Python quickstart and an event-log example"
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})
    printed = out.getvalue()
    assert "60.0 188.0 23.6" in printed
    assert "value_stream.steps[0].process_time" in printed
    assert "submit" in printed  # the event-log example's DFG frame
    assert "'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426" in printed  # the CDNOW fit
    assert "flowchart TD" in printed  # the Mermaid export
    assert os.getcwd() == str(ROOT)
