"""Execute one notebook headless for `npm run notebooks` (scripts/run-notebooks.js).

Unlike `jupyter nbconvert --execute`, which writes nothing when a cell fails, this always writes
the executed notebook, up to and including the failing cell, so the runner can point at it; and it
reports the failure as data (which cell, the error's own sentence) instead of a Python traceback.
A kernel that does not start within the start-up timeout is started once more, and given twice
as long (at least 60 s) the second time. SIGINT or SIGTERM stops the cell (or the start), kills the
kernel at once (nbclient's own handler shuts the kernel down while the cell still runs, which ends
in "AssertionError" or "'NoneType' object has no attribute 'cleanup_resources'") and reports where.

Usage (run with the project's .venv Python):
    python scripts/execute-notebook.py [--kernel tslab] [--timeout 3600] [--startup-timeout 60]
                                       [--html TEMPLATE] [--wait-for-go] NOTEBOOK OUTPUT_DIR

Prints progress lines, then one JSON report on stdout; exits 0 when every cell ran, 130 / 143 when
interrupted by SIGINT / SIGTERM, and 1 otherwise:
    {"event": "kernel", "pid": 123, "pgid": 123}     the kernel started (the runner's last resort)
    {"event": "cell", "cell": 8, "code": true}  {"event": "done", "cell": 8}   a cell started, a code cell ran
    {"event": "report"}                         every cell ran; the HTML report is being written (--html)
    {"event": "ready"}                          (--wait-for-go) the kernel is ready; "go" on stdin runs the cells,
                                                and stdin closed without it ends the run ({"reason": "not-started"})
    {"ok": true, "retried": false}    (and "html_error": "..." when --html was given and the report failed)
    {"ok": false, "reason": "cell" | "timeout" | "dead-kernel" | "kernel-start" | "interrupted",
     "cell": 8, "code_cell": 4, "first_line": "...", "message": "K is 600, but ...", "details": "...",
     "running": true, "signal": "SIGINT"}
`cell` counts every cell of the notebook from 1 (as JupyterLab lists them), `code_cell` only the
code cells; `message` is the error's sentence without the JavaScript stack, `details` all of it;
an interrupted report has `running` (the cell was running, or it had finished) and `signal`.
"""
import signal

# Recorded from the first moment (the imports below take a second): a signal that comes before the
# kernel starts means no kernel is started.
INTERRUPT = {"signal": None}


def _record_signal(signum, _frame):
    INTERRUPT["signal"] = INTERRUPT["signal"] or signum


signal.signal(signal.SIGINT, _record_signal)
signal.signal(signal.SIGTERM, _record_signal)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError  # noqa: E402

# Errors whose message is the project's own sentence: shown without their name.
SENTENCE_ERRORS = {"Error", "ParameterError", "SpotifyCsvError", "DatabaseError"}
ERROR_LINE = re.compile(r"^(\w*Error)(?: \[\w+\])?: (.*)$")
STACK_LINE = re.compile(r"^\s+at ")
EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


def emit(message):
    """One JSON line on stdout, at once (the runner reads them as they come)."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


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


# --wait-for-go: the kernel starts at once, the cells only after the runner writes "go" on stdin.
GO = {"reader": None, "given": False}


class NotStarted(Exception):
    """The runner closed stdin without "go": the notebook before this one did not run through."""


async def wait_for_go():
    """Wait for the line "go" on stdin (once per process: a second kernel start does not wait again)."""
    if GO["given"]:
        return
    loop = asyncio.get_running_loop()
    if GO["reader"] is None:
        GO["reader"] = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(GO["reader"]), sys.stdin)
    line = await GO["reader"].readline()
    if line.strip() != b"go":
        raise NotStarted()
    GO["given"] = True


async def run_client(client, wait, html=None):
    """Start the kernel; with `wait`, say it is ready, get the HTML exporter ready and wait for "go";
    then run every cell."""
    if not wait:
        await client.async_execute()
        return
    # Client.async_setup_kernel starts the kernel here; async_execute then finds it running
    async with client.async_setup_kernel():
        emit({"event": "ready"})
        if html:
            try:
                html_exporter(html)  # while waiting: nbconvert's import and the template's loading
            except Exception:  # noqa: BLE001 - write() meets the same error and says it
                pass
        await wait_for_go()
        await client.async_execute()


class ReportInterrupted(BaseException):
    """A signal came while the HTML report was written (a BaseException: nbconvert's own handlers let it pass)."""


def _stop_report(signum, _frame):
    INTERRUPT["signal"] = INTERRUPT["signal"] or signum
    raise ReportInterrupted()


EXPORTERS = {}


def html_exporter(template):
    """nbconvert's HTML exporter for `template`, made once, its templates loaded (an empty notebook
    converted), so that the report written after the last cell does not wait for them."""
    if template not in EXPORTERS:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(template_name=template)
        exporter.from_notebook_node(nbformat.v4.new_notebook(), resources={"metadata": {"name": "warm-up"}})
        EXPORTERS[template] = exporter
    return EXPORTERS[template]


def write(notebook, path, output_dir, html=None):
    """Write the executed notebook into output_dir and, when `html` names an nbconvert template, its
    HTML report beside it (as `jupyter nbconvert --to html --template=NAME` would, byte for byte,
    without a second Python process). Returns the report's error, or None; a signal while the
    report is written stops it at once (ReportInterrupted)."""
    name = os.path.splitext(os.path.basename(path))[0]
    text = nbformat.writes(notebook)
    text += "" if text.endswith("\n") else "\n"  # as nbformat.write ends the file
    with open(os.path.join(output_dir, f"{name}.ipynb"), "w", encoding="utf-8") as handle:
        handle.write(text)
    if not html:
        return None
    emit({"event": "report"})
    handlers = {signum: signal.signal(signum, _stop_report) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        if INTERRUPT["signal"]:
            raise ReportInterrupted()
        written = nbformat.reads(text, as_version=4)  # the report shows the file, as nbconvert reading it would
        body, _ = html_exporter(html).from_notebook_node(written, resources={"metadata": {"name": name}})
        with open(os.path.join(output_dir, f"{name}.html"), "w", encoding="utf-8") as handle:
            handle.write(body)
    except Exception as error:  # noqa: BLE001 - the runner says the report could not be written
        return f"{type(error).__name__}: {error}"
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    return None


class Client(NotebookClient):
    """nbclient's client without its signal handlers and atexit hook: this script stops the
    execution itself on a signal and always shuts the kernel down on the way out."""

    cleaning_up = False

    @contextlib.asynccontextmanager
    async def async_setup_kernel(self, **kwargs):
        if self.km is None:
            self.km = self.create_kernel_manager()
        try:
            if not self.km.has_kernel:
                await self.async_start_new_kernel(**kwargs)
                provisioner = getattr(self.km, "provisioner", None)
                emit({"event": "kernel", "pid": getattr(provisioner, "pid", None), "pgid": getattr(provisioner, "pgid", None)})
            if self.kc is None:
                await self.async_start_new_kernel_client()
            yield
        finally:
            self.cleaning_up = True
            if self.km is not None:
                await self._async_cleanup_kernel()

    def kill_kernel(self):
        """Kill the kernel's process group at once, leaving the manager's state to the clean-up."""
        provisioner = getattr(self.km, "provisioner", None) if self.km is not None else None
        group = getattr(provisioner, "pgid", None) or getattr(provisioner, "pid", None)
        if group:
            try:
                os.killpg(group, signal.SIGKILL)
            except OSError:
                pass  # not started yet, or gone already


def interrupted_report(notebook, progress, signum, retried):
    """Where the signal found the notebook: the cell that was running, or the last one started."""
    report = {"ok": False, "reason": "interrupted", "signal": signal.Signals(signum).name, "retried": retried}
    index = progress["started"]
    if index >= 0:
        report.update(where(notebook, index), running=progress["running"])
    report["message"] = "interrupted"
    return report


async def execute_once(notebook, path, kernel, timeout, startup_timeout, progress, wait=False, html=None):
    """Run every cell with a fresh kernel; a signal cancels the run (the kernel is killed on the way out).
    Returns None when every cell ran, the signal number when interrupted; raises nbclient's errors."""

    def on_cell_start(cell, cell_index, **_):
        progress["started"] = cell_index
        progress["running"] = cell.cell_type == "code" and bool(cell.source.strip())
        emit({"event": "cell", "cell": cell_index + 1, "code": progress["running"]})

    def on_cell_executed(cell_index, **_):
        progress["running"] = False
        emit({"event": "done", "cell": cell_index + 1})

    client = Client(
        notebook,
        kernel_name=kernel,
        timeout=timeout,
        startup_timeout=startup_timeout,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )
    task = asyncio.ensure_future(run_client(client, wait, html))

    loop = asyncio.get_running_loop()
    stopping = []

    def keep_cancelling():
        # Python 3.11's asyncio.wait_for (which nbclient awaits output with) can swallow a
        # cancellation that meets a message arriving: cancel again until the run is cleaning up.
        if not task.done() and not client.cleaning_up:
            task.cancel()
            loop.call_later(0.2, keep_cancelling)

    def on_signal(signum):
        INTERRUPT["signal"] = INTERRUPT["signal"] or signum
        if not stopping:  # the first signal stops the run; the ones after it change nothing
            stopping.append(signum)
            client.shutdown_kernel = "immediate"
            client.kill_kernel()  # no cell writes anything after the signal, whatever asyncio does
            keep_cancelling()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal, signum)
    if INTERRUPT["signal"]:  # came while the handlers were being installed
        on_signal(INTERRUPT["signal"])
    try:
        await task
    except BaseException:  # noqa: BLE001 - after a signal every way out is the interruption
        if INTERRUPT["signal"]:
            return INTERRUPT["signal"]
        raise
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
            signal.signal(signum, _record_signal)
    return INTERRUPT["signal"]  # a signal after the last cell: the notebook ran, but the run stops


async def execute(path, output_dir, kernel, timeout, startup_timeout, html, wait=False):
    retried = False
    # the second start waits longer: a kernel that is merely slow (a busy machine, cold caches) then starts
    waits = (startup_timeout, max(2 * startup_timeout, 60))
    for attempt in (1, 2):
        notebook = nbformat.read(path, as_version=4)
        progress = {"started": -1, "running": False}
        if INTERRUPT["signal"]:
            return interrupted_report(notebook, progress, INTERRUPT["signal"], retried)
        try:
            signum = await execute_once(notebook, path, kernel, timeout, waits[attempt - 1], progress, wait, html)
            if signum:
                return interrupted_report(notebook, progress, signum, retried)
        except NotStarted:
            return {"ok": False, "reason": "not-started", "message": "the runner did not say go", "retried": retried}
        except Exception as error:  # noqa: BLE001 - every failure becomes a report
            index = progress["started"]
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
            write(notebook, path, output_dir)
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
        try:
            html_error = write(notebook, path, output_dir, html)
        except ReportInterrupted:
            name = signal.Signals(INTERRUPT["signal"]).name
            return {"ok": False, "reason": "interrupted", "signal": name, "step": "report", "message": "interrupted", "retried": retried}
        report = {"ok": True, "retried": retried}
        if html_error:
            report["html_error"] = html_error
        return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--startup-timeout", type=float, default=60)
    parser.add_argument("--html", metavar="TEMPLATE", help="also write the HTML report with this nbconvert template")
    parser.add_argument("--wait-for-go", action="store_true", help='start the kernel, then run the cells only after "go" on stdin')
    parser.add_argument("notebook")
    parser.add_argument("output_dir")
    arguments = parser.parse_args()
    os.makedirs(arguments.output_dir, exist_ok=True)
    report = asyncio.run(
        execute(
            arguments.notebook,
            arguments.output_dir,
            arguments.kernel,
            arguments.timeout,
            arguments.startup_timeout,
            arguments.html,
            arguments.wait_for_go,
        )
    )
    emit(report)
    if report.get("reason") == "interrupted":
        sys.exit(EXIT_CODES[signal.Signals[report["signal"]]])
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
