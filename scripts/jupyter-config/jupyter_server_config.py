"""
Jupyter server settings for the project's JupyterLab: scripts/setup.js jupyterEnv() puts this folder
on JUPYTER_CONFIG_PATH, so `npm run lab` (and the browser test) load it beside the user's own settings.

Before JupyterLab saves a notebook, the PNG snapshot that the plotly extension (jupyterlab-plotly)
adds to every figure it draws is dropped: the figure is already there as its plotly JSON, which the
extension draws again on opening, and the snapshots (hundreds of kB for a 10,000-point map, more on a
wide screen) would double the notebook's size.

After JupyterLab saves a notebook that git tracks through the project's clean filter
(.gitattributes, scripts/clean-notebooks.js), git's index entry is refreshed when the cleaned
notebook equals the committed one. git decides that a file whose size changed is modified without
running its clean filter, so a notebook saved with outputs would otherwise show in `git status`
although `git diff` shows nothing and `git add` would record nothing. A notebook whose cells
changed is left alone and stays modified. Outside a git checkout, or without git, nothing happens.
"""
import os
import subprocess

FILTER = "notebook-clean"


def _git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30)


PLOTLY = "application/vnd.plotly.v1+json"


def drop_figure_snapshots(model, **_):
    """A pre-save hook: outputs holding a plotly figure keep its JSON and text, not a PNG copy of it."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    for cell in model["content"].get("cells", []):
        for output in cell.get("outputs") or []:
            data = output.get("data") if isinstance(output, dict) else None
            if isinstance(data, dict) and PLOTLY in data and "image/png" in data:
                del data["image/png"]


def refresh_git_index(os_path, model, **_):
    """A post-save hook: `git update-index` the saved notebook if its clean form is what git already has."""
    if model.get("type") != "notebook":
        return
    try:
        top = _git(os.path.dirname(os_path), "rev-parse", "--show-toplevel")
        if top.returncode != 0:
            return
        root = top.stdout.strip()
        path = os.path.relpath(os.path.realpath(os_path), os.path.realpath(root)).replace(os.sep, "/")
        attribute = _git(root, "check-attr", "filter", "--", path).stdout.strip()
        if not attribute.endswith(f": {FILTER}"):
            return
        staged = _git(root, "rev-parse", "--verify", "--quiet", f":{path}")
        if staged.returncode != 0:
            return
        cleaned = _git(root, "hash-object", f"--path={path}", "--", path)  # runs the clean filter
        if cleaned.returncode == 0 and cleaned.stdout.strip() == staged.stdout.strip():
            _git(root, "update-index", "--", path)  # the same content: only the recorded size and time change
    except (OSError, subprocess.SubprocessError):
        pass  # never let git trouble get in the way of saving


if "get_config" in globals():  # Jupyter provides get_config when it reads this file as settings
    c = get_config()  # noqa: F821
    c.FileContentsManager.pre_save_hook = drop_figure_snapshots
    c.FileContentsManager.post_save_hook = refresh_git_index
