#!/usr/bin/env python3
"""Writes the <Reference> items of a device .nfproj and its packages.config from the pinned set in
tools/NanoSurface/surface.json, so the three always agree (make check-nano verifies they do).

  tools/scripts/write-references.py Agent/Update/SecureOta.Agent.Update.nfproj mscorlib System.Net.Http ...

Each reference is written with its simple assembly name and a HintPath to the package's real lib/ file
(packages.config restore layout: <solution>/packages/<id>.<version>/); packages.config gets the packages
of those assemblies and, because it is flat, every nuspec dependency of them, transitively.
"""
import json, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(project, assemblies):
    surface = json.load(open(os.path.join(ROOT, "tools", "NanoSurface", "surface.json")))
    by_assembly, by_package = {}, {}
    for p in surface["packages"]:
        by_package[p["package"]] = p
        for a in p["assemblies"]:
            by_assembly[a["assembly"]] = (p, a)
    project_dir = os.path.dirname(os.path.abspath(project))
    rel_root = os.path.relpath(ROOT, project_dir).replace("/", "\\")
    items = []
    wanted = set()
    for name in assemblies:
        if name not in by_assembly:
            sys.exit(f"write-references: no assembly '{name}' in surface.json")
        p, a = by_assembly[name]
        wanted.add(p["package"])
        hint = f"{rel_root}\\packages\\{p['package']}.{p['version']}\\{a['file'].replace('/', chr(92))}"
        items.append(f'    <Reference Include="{name}">\n      <HintPath>{hint}</HintPath>\n    </Reference>\n')
    closure, todo = set(), list(wanted)
    while todo:
        pid = todo.pop()
        if pid in closure:
            continue
        closure.add(pid)
        todo.extend(by_package[pid]["dependencies"].keys())
    text = open(project, encoding="utf-8").read()
    block = "  <ItemGroup>\n" + "".join(items) + "  </ItemGroup>\n"
    pattern = re.compile(r"  <ItemGroup>\n(    <Reference Include=.*?\n)+?  </ItemGroup>\n", re.S)
    if not pattern.search(text):
        sys.exit(f"write-references: no <Reference> item group in {project}")
    open(project, "w", encoding="utf-8").write(pattern.sub(lambda m: block, text, count=1))
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<packages>"]
    for pid in sorted(closure, key=str.lower):
        dev = ' developmentDependency="true"' if pid == "nanoFramework.TestFramework" else ""
        lines.append(f'  <package id="{pid}" version="{by_package[pid]["version"]}" targetFramework="netnano1.0"{dev} />')
    lines.append("</packages>")
    open(os.path.join(project_dir, "packages.config"), "w", encoding="utf-8").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
