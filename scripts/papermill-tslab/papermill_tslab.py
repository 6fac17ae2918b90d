"""
papermill for the project's TypeScript notebooks (tslab kernel): a parameter translator, and an
engine that starts the kernel in the notebook's folder.

papermill writes the values of `-p NAME VALUE` as a cell of the notebook's language, injected after
the cell tagged `parameters`; it ships translators for Python, R, Julia, … but none for TypeScript.
It loads the plugins other packages name in its `papermill.engine` entry-point group when it starts
(it has no group for translators), so this module, named there (pyproject.toml beside it, installed
into .venv by scripts/setup.js), registers TypeScriptTranslator for the language `typescript` when
loaded. The injected cell hands the values to the project's library, which tells them apart from
the literals and the environment:

    // Parameters injected by papermill
    sc.fromPapermill(literals, { K: 8, LAYOUT: "grid" });

The notebooks import `'../build/lib'` relative to the kernel's working directory, which papermill
leaves at the folder it was started in; TslabEngine, registered also as papermill's default engine,
starts a tslab kernel in the notebook's own folder (as JupyterLab and nbconvert do) unless `--cwd`
names another folder, and passes the folder papermill was started in as INIT_CWD (as `npm run` does)
so relative paths among the parameters are taken from there. tslab reports a cell's error on
stderr only, with no error output, so papermill would stop with an empty message: the engine adds the
error's first line (the project's one sentence, such as a refused parameter) as the cell's error output.
Other kernels run as papermill ships them. Import papermill, not this module: papermill loads it.
"""
import json
import math
import os
import re

from nbformat.v4 import new_output
from papermill.engines import NBClientEngine, papermill_engines
from papermill.iorw import papermill_io
from papermill.models import Parameter
from papermill.translators import Translator, papermill_translators

IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
ERROR_LINE = re.compile(r"^([A-Za-z_$][\w$]*(?:Error|Exception)): (.*)$", re.M)


class TypeScriptTranslator(Translator):
    """papermill's values as TypeScript literals, passed to `sc.fromPapermill(literals, {...})`."""

    @classmethod
    def translate_escaped_str(cls, str_val):
        # JSON is a TypeScript string literal; ASCII-only so no line separator can end it
        return json.dumps(str(str_val), ensure_ascii=True)

    @classmethod
    def translate_none(cls, val):
        return "null"

    @classmethod
    def translate_int(cls, val):
        return str(int(val))

    @classmethod
    def translate_float(cls, val):
        if math.isnan(val):
            return "NaN"
        if math.isinf(val):
            return "Infinity" if val > 0 else "-Infinity"
        return repr(float(val))

    @classmethod
    def translate_key(cls, key):
        key = str(key)
        return key if IDENTIFIER.match(key) else cls.translate_escaped_str(key)

    @classmethod
    def translate_dict(cls, val):
        entries = ", ".join(f"{cls.translate_key(k)}: {cls.translate(v)}" for k, v in val.items())
        return f"{{ {entries} }}" if entries else "{}"

    @classmethod
    def translate_list(cls, val):
        return f"[{', '.join(cls.translate(v) for v in val)}]"

    @classmethod
    def comment(cls, cmt_str):
        return f"// {cmt_str}".strip()

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        entries = "".join(f"  {cls.translate_key(name)}: {cls.translate(value)},\n" for name, value in parameters.items())
        return f"{cls.comment(comment)}\nsc.fromPapermill(literals, {{\n{entries}}});\n"

    @classmethod
    def inspect(cls, parameters_cell):
        """The parameters the cell's `literals` object writes (for papermill's unknown-parameter warning and --help-notebook)."""
        source = parameters_cell.source if isinstance(parameters_cell.source, str) else "".join(parameters_cell.source)
        found = re.search(r"\bliterals\s*=\s*\{(.*?)\}", source, re.S)
        if not found:
            return []
        params = []
        for name, value in re.findall(r"([A-Za-z_$][A-Za-z0-9_$]*)\s*:\s*('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^,\n}]+)", found.group(1)):
            value = value.strip()
            kind = "str" if value[:1] in "'\"" else "bool" if value in ("true", "false") else "float"
            if kind == "float" and re.fullmatch(r"-?\d+", value):
                kind = "int"
            params.append(Parameter(name=name, inferred_type_name=kind, default=value, help=""))
        return params


def _is_tslab(nb, kernel_name):
    spec = nb.metadata.get("kernelspec", {})
    return kernel_name == "tslab" or spec.get("name") == "tslab" or spec.get("language") == "typescript"


class TslabEngine(NBClientEngine):
    """nbclient, with a tslab kernel started in the notebook's folder unless --cwd names another."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        input_path = kwargs.get("input_path")
        if _is_tslab(nb_man.nb, kernel_name) and "resources" not in kwargs and isinstance(input_path, str):
            # papermill records the folder it started in before it moves into --cwd
            started = getattr(papermill_io.get_handler("local"), "_cwd", None) or os.getcwd()
            folder = os.path.dirname(os.path.abspath(input_path))
            no_cwd = os.path.realpath(started) == os.path.realpath(os.getcwd())
            if no_cwd and os.path.isfile(input_path):
                kwargs["resources"] = {"metadata": {"path": folder}}
                os.environ.setdefault("INIT_CWD", os.path.abspath(started))
        result = super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        if _is_tslab(nb_man.nb, kernel_name):
            for cell in nb_man.nb.cells:
                _error_output(cell)
        return result


def _error_output(cell):
    """A failed cell with no error output gets one: the last `SomeError: sentence` line tslab wrote to stderr."""
    if not cell.get("metadata", {}).get("papermill", {}).get("exception"):
        return
    outputs = cell.get("outputs") or []
    if any(output.get("output_type") == "error" for output in outputs):
        return
    stderr = "".join(
        "".join(output.get("text", ""))
        for output in outputs
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    )
    found = ERROR_LINE.findall(stderr)
    if found:
        ename, evalue = found[-1]
        outputs.append(new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]))


papermill_translators.register("typescript", TypeScriptTranslator)
papermill_engines.register(None, TslabEngine)
