#!/usr/bin/env python3
"""Writes Agent.sln from the projects in the tree (run after adding a project: python3 tools/scripts/gen-sln.py).

Every .nfproj (nanoFramework) and .csproj (host) under Agent/, Drivers/, Tests/ and tools/ is listed.
Solution configurations:
  Debug, Release  build everything: what a nanoFramework developer opens in Visual Studio (the .nfproj
                  files need the nanoFramework extension);
  Host            builds only the host projects (mapped to their Debug configuration): what `make`
                  and CI build with the .NET SDK, which cannot build a .nfproj.
Project GUIDs are derived from the path, so regenerating gives the same file.
"""
import os
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NANO_TYPE = "{11A8DD76-328B-46DF-9F39-F559912D0360}"
CSHARP_TYPE = "{9A19103F-16F7-4668-BE54-9A1E7A4F7556}"
FOLDER_TYPE = "{2150E333-8FDC-42A3-9474-1A3956D46DE8}"
NAMESPACE = uuid.UUID("6f1b7f0e-3c1a-4d2e-9b8a-5e0c7d4f2a10")


def guid(text):
    return "{" + str(uuid.uuid5(NAMESPACE, text)).upper() + "}"


def projects():
    found = []
    for top in ("Agent", "Drivers", "Tests", "tools"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in ("bin", "obj", "node_modules"))
            for name in sorted(filenames):
                if name.endswith(".nfproj") or name.endswith(".csproj"):
                    rel = os.path.relpath(os.path.join(dirpath, name), ROOT)
                    found.append(rel)
    return found


def nfproj_guid(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        text = f.read()
    start = text.find("<ProjectGuid>")
    if start < 0:
        return guid(path)
    return text[start + len("<ProjectGuid>"):text.find("</ProjectGuid>")].strip().upper()


def main():
    lines = [
        "",
        "Microsoft Visual Studio Solution File, Format Version 12.00",
        "# Visual Studio Version 17",
        "VisualStudioVersion = 17.0.31903.59",
        "MinimumVisualStudioVersion = 10.0.40219.1",
    ]
    entries = []
    folders = {}
    for path in projects():
        nano = path.endswith(".nfproj")
        pguid = nfproj_guid(path) if nano else guid(path)
        top = path.split(os.sep)[0]
        folders.setdefault(top, guid("folder:" + top))
        entries.append((path, pguid, nano, top))
    for top, fguid in folders.items():
        lines.append(f'Project("{FOLDER_TYPE}") = "{top}", "{top}", "{fguid}"')
        lines.append("EndProject")
    for path, pguid, nano, _ in entries:
        name = os.path.splitext(os.path.basename(path))[0]
        win = path.replace("/", "\\")
        lines.append(f'Project("{NANO_TYPE if nano else CSHARP_TYPE}") = "{name}", "{win}", "{pguid}"')
        lines.append("EndProject")
    lines.append("Global")
    lines.append("\tGlobalSection(SolutionConfigurationPlatforms) = preSolution")
    for cfg in ("Debug", "Host", "Release"):
        lines.append(f"\t\t{cfg}|Any CPU = {cfg}|Any CPU")
    lines.append("\tEndGlobalSection")
    lines.append("\tGlobalSection(ProjectConfigurationPlatforms) = postSolution")
    for path, pguid, nano, _ in entries:
        for cfg in ("Debug", "Release"):
            lines.append(f"\t\t{pguid}.{cfg}|Any CPU.ActiveCfg = {cfg}|Any CPU")
            lines.append(f"\t\t{pguid}.{cfg}|Any CPU.Build.0 = {cfg}|Any CPU")
            if nano:
                lines.append(f"\t\t{pguid}.{cfg}|Any CPU.Deploy.0 = {cfg}|Any CPU")
        lines.append(f"\t\t{pguid}.Host|Any CPU.ActiveCfg = Debug|Any CPU")
        if not nano:
            lines.append(f"\t\t{pguid}.Host|Any CPU.Build.0 = Debug|Any CPU")
    lines.append("\tEndGlobalSection")
    lines.append("\tGlobalSection(SolutionProperties) = preSolution")
    lines.append("\t\tHideSolutionNode = FALSE")
    lines.append("\tEndGlobalSection")
    lines.append("\tGlobalSection(NestedProjects) = preSolution")
    for path, pguid, nano, top in entries:
        lines.append(f"\t\t{pguid} = {folders[top]}")
    lines.append("\tEndGlobalSection")
    lines.append("EndGlobal")
    with open(os.path.join(ROOT, "Agent.sln"), "w", encoding="utf-8", newline="\r\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"Agent.sln: {len(entries)} projects")


if __name__ == "__main__":
    main()
