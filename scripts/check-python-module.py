"""Checks the Python module jsii-pacmak generated (code only, offline) against what Python users rely on.

Usage: python3 scripts/check-python-module.py <generated __init__.py> <README.md>

- WavePipeline and ReleaseMonitor are classes the module exports (``__all__``), with the keyword
  arguments of their props (pipeline_name, release, stage_factory, synth; target, alarms, canaries);
- the README's Python example parses, imports only names the module exports, and every keyword it
  passes to a class of the module is a parameter of that class's constructor.

The module is read with ``ast``, not imported: importing it needs the jsii runtime and aws-cdk-lib
for Python, which CI does not install.
"""
import ast
import re
import sys

REQUIRED = {
    "WavePipeline": {"scope", "id", "pipeline_name", "release", "stage_factory", "synth"},
    "ReleaseMonitor": {"scope", "id", "target", "alarms", "canaries"},
}


def constructor_parameters(cls: ast.ClassDef) -> set:
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            args = item.args
            return {a.arg for a in args.args + args.kwonlyargs} - {"self"}
    return set()


def main(module_path: str, readme_path: str) -> int:
    module = ast.parse(open(module_path, encoding="utf-8").read(), module_path)
    classes = {node.name: node for node in module.body if isinstance(node, ast.ClassDef)}
    exported = set()
    for node in module.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            exported = set(ast.literal_eval(node.value))
    problems = []
    for name, parameters in REQUIRED.items():
        if name not in classes or name not in exported:
            problems.append(f"{module_path}: {name} is not an exported class")
            continue
        missing = parameters - constructor_parameters(classes[name])
        if missing:
            problems.append(f"{name}.__init__ lacks {sorted(missing)}")

    blocks = re.findall(r"```python\n(.*?)```", open(readme_path, encoding="utf-8").read(), re.S)
    if not blocks:
        problems.append(f"{readme_path}: no ```python block")
    checked_calls = 0
    for i, block in enumerate(blocks):
        where = f"{readme_path} python block {i + 1}"
        try:
            example = ast.parse(block, where)
        except SyntaxError as e:
            problems.append(f"{where}: line {e.lineno}: {e.msg}")
            continue
        imported = set()
        for node in ast.walk(example):
            if isinstance(node, ast.ImportFrom) and node.module == "cdk_wave_pipelines":
                for alias in node.names:
                    imported.add(alias.name)
                    if alias.name not in exported:
                        problems.append(f"{where}: imports {alias.name}, which cdk_wave_pipelines does not export")
        for node in ast.walk(example):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported and node.func.id in classes:
                checked_calls += 1
                parameters = constructor_parameters(classes[node.func.id])
                for keyword in node.keywords:
                    if keyword.arg is not None and keyword.arg not in parameters:
                        problems.append(f"{where}: line {node.lineno}: {node.func.id}() has no parameter {keyword.arg}; it takes {sorted(parameters)}")
    for problem in problems:
        print(f"python module: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"python module: {len(exported)} names exported, WavePipeline and ReleaseMonitor present; "
          f"README example: {len(blocks)} block(s), {len(imported)} imports and {checked_calls} constructor calls match the module")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
