#!/usr/bin/env python3
"""Rewrites the <Compile Include> list of .nfproj files from the .cs files on disk.

Usage: python3 tools/scripts/sync-nfproj.py [path/to/Project.nfproj ...]   (default: every .nfproj)
Host/, bin/ and obj/ are not device sources. The nano gate (NANO030) fails when the list and the disk
disagree; this script is the quick way to make them agree after adding or removing a file.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIP = {"Host", "bin", "obj"}


def device_sources(project_dir):
    found = []
    for dirpath, dirnames, filenames in os.walk(project_dir):
        dirnames[:] = [d for d in dirnames if d not in SKIP]
        for name in filenames:
            if name.endswith(".cs"):
                found.append(os.path.relpath(os.path.join(dirpath, name), project_dir).replace("/", "\\"))
    return sorted(found)


def sync(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    items = "".join(f'    <Compile Include="{s}" />\n' for s in device_sources(os.path.dirname(path)))
    pattern = re.compile(r"  <ItemGroup>\n(?:    <Compile [^\n]*\n)+  </ItemGroup>")
    if not pattern.search(text):
        sys.exit(f"{path}: no <ItemGroup> of <Compile> items found")
    text = pattern.sub(lambda _: "  <ItemGroup>\n" + items + "  </ItemGroup>", text, count=1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{os.path.relpath(path, ROOT)}: {items.count('<Compile')} sources")


def main():
    paths = sys.argv[1:]
    if not paths:
        for top in ("Agent", "Drivers", "Tests"):
            for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
                dirnames[:] = [d for d in dirnames if d not in ("bin", "obj")]
                paths += [os.path.join(dirpath, n) for n in filenames if n.endswith(".nfproj")]
    for p in sorted(paths):
        sync(os.path.abspath(p))


if __name__ == "__main__":
    main()
