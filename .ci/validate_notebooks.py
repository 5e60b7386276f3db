"""Validates report notebooks against the nbformat 4.5 schema, plus what the schema cannot say.

Usage: python validate_notebooks.py NOTEBOOK.ipynb...
Exit status 0 when every notebook is valid, 1 otherwise (each problem printed on stderr).
"""

import json
import sys

import nbformat

# What every display_data output of a report must offer (see src/report/notebook.rs).
REQUIRED_MIME_TYPES = {"text/html", "text/markdown", "text/plain"}


def problems(path):
    # nbformat fills in a missing cell id with a warning; for nbformat 4.5 it is required.
    with open(path, encoding="utf-8") as file:
        raw = json.load(file)
    for index, cell in enumerate(raw.get("cells", [])):
        if "id" not in cell:
            yield f"{path}: cell {index} has no id"
    try:
        notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        nbformat.validate(notebook)
    except Exception as error:  # nbformat raises several types; all mean "invalid"
        yield f"{path}: {type(error).__name__}: {error}"
        return
    if (notebook.nbformat, notebook.nbformat_minor) != (4, 5):
        yield f"{path}: nbformat {notebook.nbformat}.{notebook.nbformat_minor}, expected 4.5"
    ids = [cell.get("id") for cell in notebook.cells]
    if len(set(ids)) != len(ids):
        yield f"{path}: cell ids are not unique"
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") != "display_data":
                yield f"{path}: cell {index}: output type {output.get('output_type')}"
                continue
            missing = REQUIRED_MIME_TYPES - set(output.get("data", {}))
            if missing:
                yield f"{path}: cell {index}: display_data lacks {sorted(missing)}"


def main(paths):
    if not paths:
        print("usage: validate_notebooks.py NOTEBOOK.ipynb...", file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        found = list(problems(path))
        for problem in found:
            print(problem, file=sys.stderr)
        failed |= bool(found)
        if not found:
            print(f"{path}: valid nbformat 4.5 notebook (nbformat package {nbformat.__version__})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
