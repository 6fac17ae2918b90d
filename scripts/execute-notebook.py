"""Execute one notebook headless for `npm run notebooks` (scripts/run-notebooks.js).

Unlike `jupyter nbconvert --execute`, which writes nothing when a cell fails, this always writes
the executed notebook, up to and including the failing cell, so the runner can point at it; and it
reports the failure as data (which cell, the error's own sentence) instead of a Python traceback.
A kernel that does not start within the start-up timeout is started once more, and given twice
as long (at least 60 s) the second time.

Usage (run with the project's .venv Python):
    python scripts/execute-notebook.py [--kernel tslab] [--timeout 3600] [--startup-timeout 60]
                                       [--html] NOTEBOOK OUTPUT_DIR

Prints one JSON object on stdout, then exits 0 when every cell ran and 1 otherwise:
    {"ok": true, "retried": false}
    {"ok": false, "reason": "cell" | "timeout" | "dead-kernel" | "kernel-start", "cell": 8,
     "code_cell": 4, "first_line": "...", "message": "K is 600, but ...", "details": "..."}
`cell` counts every cell of the notebook from 1 (as JupyterLab lists them), `code_cell` only the
code cells; `message` is the error's sentence without the JavaScript stack, `details` all of it.
"""
import argparse
import json
import os
import re
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

# Errors whose message is the project's own sentence: shown without their name.
SENTENCE_ERRORS = {"Error", "ParameterError", "SpotifyCsvError", "DatabaseError"}
ERROR_LINE = re.compile(r"^(\w*Error)(?: \[\w+\])?: (.*)$")
STACK_LINE = re.compile(r"^\s+at ")


def error_text(cell):
    """Everything the failing cell wrote to stderr, and any error output, as one text."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append("\n".join(output.get("traceback") or [f"{output.get('ename')}: {output.get('evalue')}"]))
    return "".join(parts)


def sentence(details):
    """The error's message from tslab's stderr: the `SomeError: message` line and its continuation
    up to the stack, or (a type error of the cell) the compiler's lines."""
    lines = re.sub(r"\x1b\[[0-9;]*m", "", details).splitlines()
    for index, line in enumerate(lines):
        match = ERROR_LINE.match(line)
        if not match:
            continue
        name, message = match.groups()
        for more in lines[index + 1:]:
            if STACK_LINE.match(more) or more.strip() == "":
                break
            message += "\n" + more
        return message if name in SENTENCE_ERRORS else f"{name}: {message}"
    useful = [line for line in lines if line.strip() and not line.startswith("evalmachine.") and line.strip() != "^"]
    return "\n".join(useful[:5]) or "the cell stopped with an error that printed nothing"


def where(notebook, index):
    """Position of cell `index` among all cells and among code cells (both from 1), and its first line."""
    cells = notebook.cells
    code_cell = sum(1 for cell in cells[: index + 1] if cell.cell_type == "code")
    source = cells[index].source.strip().splitlines()
    return {"cell": index + 1, "code_cell": code_cell, "first_line": source[0] if source else ""}


def write(notebook, path, output_dir, html):
    name = os.path.splitext(os.path.basename(path))[0]
    nbformat.write(notebook, os.path.join(output_dir, f"{name}.ipynb"))
    if html:
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter().from_notebook_node(notebook, resources={"metadata": {"name": name}})
        with open(os.path.join(output_dir, f"{name}.html"), "w", encoding="utf-8") as handle:
            handle.write(body)


def execute(path, output_dir, kernel, timeout, startup_timeout, html):
    retried = False
    # the second start waits longer: a kernel that is merely slow (a busy machine, cold caches) then starts
    waits = (startup_timeout, max(2 * startup_timeout, 60))
    for attempt in (1, 2):
        notebook = nbformat.read(path, as_version=4)
        started = {"index": -1}

        def on_cell_start(cell, cell_index, **_):
            started["index"] = cell_index

        client = NotebookClient(
            notebook,
            kernel_name=kernel,
            timeout=timeout,
            startup_timeout=waits[attempt - 1],
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
            on_cell_start=on_cell_start,
        )
        try:
            client.execute()
        except Exception as error:  # noqa: BLE001 - every failure becomes a report
            index = started["index"]
            if index < 0:
                if attempt == 1:
                    retried = True
                    continue
                return {
                    "ok": False,
                    "reason": "kernel-start",
                    "message": f"the {kernel} kernel did not start within {waits[0]:g} s, nor within {waits[1]:g} s on a second try ({error})",
                    "details": repr(error),
                    "retried": retried,
                }
            write(notebook, path, output_dir, html)
            cell = notebook.cells[index]
            report = {"ok": False, "retried": retried, **where(notebook, index)}
            if isinstance(error, CellTimeoutError):
                report.update(reason="timeout", message=f"the cell ran longer than the timeout of {timeout:g} s", details=str(error))
            elif isinstance(error, DeadKernelError):
                report.update(reason="dead-kernel", message="the kernel died while running the cell (out of memory?)", details=str(error))
            elif isinstance(error, CellExecutionError):
                details = error_text(cell) or str(error)
                report.update(reason="cell", message=sentence(details), details=details)
            else:
                report.update(reason="other", message=f"{type(error).__name__}: {error}", details=repr(error))
            return report
        write(notebook, path, output_dir, html)
        return {"ok": True, "retried": retried}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--startup-timeout", type=float, default=60)
    parser.add_argument("--html", action="store_true")
    parser.add_argument("notebook")
    parser.add_argument("output_dir")
    arguments = parser.parse_args()
    os.makedirs(arguments.output_dir, exist_ok=True)
    report = execute(arguments.notebook, arguments.output_dir, arguments.kernel, arguments.timeout, arguments.startup_timeout, arguments.html)
    sys.stdout.write(json.dumps(report) + "\n")
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
