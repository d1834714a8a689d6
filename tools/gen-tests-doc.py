#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the generated part of docs/tests.md: each public function of
include/swmsi/*.h with the test files that call it, and how many of their
tests do so directly.

    python3 tools/gen-tests-doc.py           # rewrite docs/tests.md
    python3 tools/gen-tests-doc.py --check   # exit 1 if it is out of date

The page's hand-written part, above the MARKER line, is kept as it is; the
rest is made from the sources. The functions are read from the headers
(every SWMSI_API declaration and static inline function), so a function
added to a header shows up by itself, with "none" until a test calls it.

A test is a function of a test file that a cmocka_unit_test*() of the file
(or a macro around one) names; it counts when it calls the function itself
or through a helper of its own file. A call in a shared fixture
(tests/common/) counts for the fixture's file, not for the tests using it. The simulator's sources count as one entry: the scenario_*, cli_*
and explore_* tests run them.
"""
import argparse
import difflib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join("docs", "tests.md")
MARKER = "<!-- Generated below by tools/gen-tests-doc.py: do not edit by hand. -->"
# Where the callers are: suites, their helpers, the examples, the simulator.
TEST_GLOBS = [("tests", ".c"), ("tests/common", ".c"), ("tests/common", ".h"),
              ("tests/cli", ".c"), ("tests/package", ".c"), ("examples", ".c")]
SIM_DIR = "tools/swmsi-sim"


def strip_c(text):
    """C text without comments and string or character literals."""
    pat = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
    return pat.sub(lambda m: " " if m.group(0)[0] == "/" else '""', text)


def public_functions(header):
    """The functions a public header declares, in header order."""
    text = strip_c(open(os.path.join(ROOT, header), encoding="utf-8").read())
    text = re.sub(r"^\s*#.*?(?<!\\)$", "", text, flags=re.M | re.S)
    names = []
    decl = re.compile(r"\bSWMSI_API\b[^;{]*?\b([a-z_][a-z0-9_]*)\s*\(")
    inline = re.compile(r"\bstatic\s+inline\b[^;{]*?\b([a-z_][a-z0-9_]*)\s*\(")
    for pat in (decl, inline):
        for m in pat.finditer(text):
            names.append((m.start(), m.group(1)))
    seen = set()
    out = []
    for _, name in sorted(names):
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def c_files(folder, ext):
    path = os.path.join(ROOT, folder)
    if not os.path.isdir(path):
        return []
    return sorted(os.path.join(folder, f) for f in os.listdir(path)
                  if f.endswith(ext) and os.path.isfile(os.path.join(path, f)))


def functions_of(text):
    """{name: body} of the functions defined at column 0 of stripped C text."""
    out = {}
    for m in re.finditer(r"^[a-z][^\n;=]*?\b([a-z_][a-z0-9_]*)\s*\([^;{]*?\)\s*\{", text,
                         re.M | re.S):
        depth, i = 0, m.end() - 1
        while i < len(text):
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        out[m.group(1)] = text[m.end():i]
    return out


def scan_tests():
    """[(path, text, {test name: body})] of every file that may call the API."""
    out = []
    for folder, ext in TEST_GLOBS:
        for path in c_files(folder, ext):
            text = strip_c(open(os.path.join(ROOT, path), encoding="utf-8").read())
            # Tests are listed by cmocka_unit_test*(fn) or a macro around it.
            wraps = re.findall(r"#\s*define\s+(\w+)\s*\(\s*\w+\s*\)\s*cmocka_unit_test", text)
            listed = set()
            for w in ["cmocka_unit_test\\w*"] + wraps:
                listed |= set(re.findall(r"\b" + w + r"\(\s*([a-z_][a-z0-9_]*)", text))
            funcs = functions_of(text)
            tests = {n: b for n, b in funcs.items() if n in listed}
            out.append((path, text, tests, funcs))
    return out


def reaches(call, funcs, name, seen):
    """Whether function @name of a file calls @call, itself or through the
    file's own helpers (named, so a thread body handed to pthread_create()
    counts for the test that starts it)."""
    if name in seen:
        return False
    seen.add(name)
    body = funcs[name]
    if call.search(body):
        return True
    return any(reaches(call, funcs, g, seen) for g in funcs
               if g != name and re.search(r"\b" + g + r"\b", body))


def sim_text():
    chunks = []
    for dirpath, dirs, files in os.walk(os.path.join(ROOT, SIM_DIR)):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".c") and not f.startswith("fuzz"):
                chunks.append(strip_c(open(os.path.join(dirpath, f), encoding="utf-8").read()))
    return "\n".join(chunks)


def row(name, files, sim):
    call = re.compile(r"\b" + re.escape(name) + r"\s*\(")
    cells = []
    for path, text, tests, funcs in files:
        if not call.search(text):
            continue
        n = sum(1 for t in tests if reaches(call, funcs, t, set()))
        cells.append("`%s` (%d)" % (path, n) if tests else "`%s`" % path)
    if call.search(sim):
        cells.append("swmsi-sim")
    return "| `%s()` | %s |" % (name, ", ".join(cells) if cells else "**none**")


def generate():
    files = scan_tests()
    sim = sim_text()
    lines = [MARKER, "", "## Public functions and the tests that call them", "",
             "Made by `python3 tools/gen-tests-doc.py` from the headers and the test",
             "sources; the ctest `docs_tests_md_current` fails when it is out of date.",
             "A file's number counts its cmocka tests that call the function, directly",
             "or through a helper of the same file; `tests/common/` files are the",
             "fixtures the suites share (their calls count there, not per test);",
             "swmsi-sim means the simulator calls it (the `scenario_*`, `cli_*` and",
             "`explore_*` tests run it)."]
    headers = sorted(os.path.join("include", "swmsi", f)
                     for f in os.listdir(os.path.join(ROOT, "include", "swmsi"))
                     if f.endswith(".h"))
    for header in headers:
        names = public_functions(header)
        if not names:
            continue
        lines += ["", "### %s" % header.replace("include/", "<") + ">", "",
                  "| Function | Called by |", "|---|---|"]
        lines += [row(n, files, sim) for n in names]
    return "\n".join(lines) + "\n"


DEFAULT_HEAD = "# Tests\n\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/tests.md is out of date")
    args = ap.parse_args()
    path = os.path.join(ROOT, DOC)
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    head = old.split(MARKER)[0] if MARKER in old else (old or DEFAULT_HEAD)
    new = head + generate()
    if args.check:
        if old == new:
            return 0
        sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                   DOC + " (committed)", DOC + " (now)"))
        print("docs/tests.md is out of date: run python3 tools/gen-tests-doc.py", file=sys.stderr)
        return 1
    if old != new:
        open(path, "w", encoding="utf-8").write(new)
        print("wrote " + DOC)
    return 0


if __name__ == "__main__":
    sys.exit(main())
