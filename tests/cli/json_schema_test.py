#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every JSON swmsi-sim writes validates against its schema (docs/json/).

usage: json_schema_test.py SIM SOURCE_DIR

Runs every example scenario (examples/scenarios/*.scn and
tests/cli/scenarios/*.scn, and the built-in demo) once plainly and once
under --compare, a few --random scenarios under each scheme, and --explore
on every universe of examples/explore, each with --json -, and validates
what it wrote against run.schema.json, compare.schema.json or
explore.schema.json. Then checks that the schemas catch drift: a document
with an unknown key, a change written as text, a name list written as one
string each fail; and that the keys being added beside these (a step's
fates, a scheme's adjusted options and error) are accepted.

Needs python3-jsonschema (4.10, Debian 12, or later): the draft 2020-12
validator and the cross-file $refs.
"""
import copy
import glob
import json
import os
import subprocess
import sys
import warnings

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    sys.exit("json_schema_test: python3-jsonschema is not installed "
             "(tools/setup-deps.sh test installs it)")

SIM, SRC = sys.argv[1], sys.argv[2]
SCHEMA_DIR = os.path.join(SRC, "docs", "json")
failures = []


def load_schemas():
    out = {}
    for name in ("run", "compare", "explore"):
        with open(os.path.join(SCHEMA_DIR, name + ".schema.json")) as f:
            out[name] = json.load(f)
        Draft202012Validator.check_schema(out[name])
    return out


def validators(schemas):
    """A validator per schema, the others reachable by their $id."""
    try:  # jsonschema 4.18 and later
        from referencing import Registry, Resource
        reg = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas.values())
        return {k: Draft202012Validator(s, registry=reg) for k, s in schemas.items()}
    except ImportError:  # 4.10 (Debian 12): RefResolver with a store
        store = {s["$id"]: s for s in schemas.values()}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return {k: Draft202012Validator(
                s, resolver=jsonschema.RefResolver.from_schema(s, store=store))
                for k, s in schemas.items()}


def errors_of(v, doc):
    return sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))


def check(v, what, args, exits=(0, 1)):
    """Run SIM ARGS, which writes JSON to stdout; validate it. Returns the document."""
    p = subprocess.run([SIM] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    label = "swmsi-sim " + " ".join(args)
    if p.returncode not in exits:
        failures.append(f"{label}: exit {p.returncode}\n{p.stderr.decode()[-2000:]}")
        return None
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        failures.append(f"{label}: not JSON: {e}")
        return None
    errs = errors_of(v[what], doc)
    for e in errs[:5]:
        path = "/".join(str(x) for x in e.absolute_path)
        failures.append(f"{label}: {what}.schema.json: at /{path}: {e.message[:300]}")
    if not errs and "summary" in doc and doc["summary"]["exit"] != p.returncode:
        failures.append(f"{label}: summary.exit {doc['summary']['exit']} "
                        f"but the exit status is {p.returncode}")
    return doc


def scenarios():
    files = sorted(glob.glob(os.path.join(SRC, "examples", "scenarios", "*.scn")))
    files += sorted(glob.glob(os.path.join(SRC, "tests", "cli", "scenarios", "*.scn")))
    return files


def check_outputs(v):
    """Every output of every example: plain, --compare, --random, --explore."""
    docs = {}
    for scn in scenarios() + [None]:
        file_args = [scn] if scn else []  # no file: the built-in demo
        name = os.path.basename(scn) if scn else "<demo>"
        docs[("run", name)] = check(v, "run", ["-q", "-k", "--json", "-"] + file_args)
        docs[("compare", name)] = check(v, "compare", ["-q", "--compare", "--json", "-"]
                                        + file_args)
    for scheme in ("native", "kernel", "dma-iommu"):
        for seed in (1, 2, 3):
            check(v, "run", ["-q", "-k", "--scheme", scheme, "--seed", str(seed),
                             "--random", "60", "--json", "-"])
    explore = os.path.join(SRC, "examples", "explore")
    for stem, args in (("01_native_two_groups", ["5"]),
                       ("01_native_two_groups", ["4", "--faults"]),
                       ("01_native_two_groups", ["5", "--max-states", "100"]),
                       ("02_dma_iommu_replace", ["5"]),
                       ("03_kernel_slot_past_window", ["6"]),
                       ("04_kernel_failed_map", ["4", "--faults"]),
                       ("05_nested_stage1", ["6"])):
        docs[("explore", stem)] = check(
            v, "explore", ["--explore"] + args + ["--counterexample", os.devnull,
                                                   "--json", "-",
                                                   os.path.join(explore, stem + ".scn")])
    return docs


def must_fail(v, what, doc, why):
    if not errors_of(v[what], doc):
        failures.append(f"{what}.schema.json accepts {why}")


def must_pass(v, what, doc, why):
    for e in errors_of(v[what], doc)[:3]:
        failures.append(f"{what}.schema.json rejects {why}: {e.message[:300]}")


def first_step_with(doc, key):
    return next((s for s in doc["steps"] if s.get(key)), None)


def check_drift(v, docs):
    """The schemas catch what drifts, and accept the keys being added."""
    run = docs.get(("run", "05_failed_replace.scn"))
    cmp = docs.get(("compare", "13_dma_iommu_misroute.scn"))
    exp = docs.get(("explore", "02_dma_iommu_replace"))
    if not run or not cmp or not exp:
        failures.append("drift checks: an output they start from is missing")
        return
    d = copy.deepcopy(run)
    d["steps"][0]["colour"] = "red"
    must_fail(v, "run", d, "an unknown key in a step")
    d = copy.deepcopy(run)
    s = first_step_with(d, "changes")
    s["changes"][0] = "dom#1 ha: allocated"
    must_fail(v, "run", d, "a change written as text")
    d = copy.deepcopy(run)
    s = next(x for x in d["steps"] if any(c["kind"] == "map" for c in x["changes"]))
    next(c for c in s["changes"] if c["kind"] == "map").pop("prot")
    must_fail(v, "run", d, "a map change without its prot")
    d = copy.deepcopy(run)
    d["final"]["devices"][0]["vectors"][0]["msg_addr"] = 134217792
    must_fail(v, "run", d, "an address as a number")
    d = copy.deepcopy(cmp)
    r = next(iter(d["steps"][0]["results"].values()))
    r["finding_names"] = "msi-reaches-doorbell, cookie-maps-vector"
    must_fail(v, "compare", d, "finding names as one string")
    d = copy.deepcopy(cmp)
    next(iter(d["steps"][0]["results"].values()))["result"] = "ok  id 1"
    must_fail(v, "compare", d, "a result's old display text key")
    d = copy.deepcopy(cmp)
    d["runs"]["native"]["steps"][0]["colour"] = "red"
    must_fail(v, "compare", d, "an unknown key in a step of a scheme's run")
    d = copy.deepcopy(exp)
    d["violation"]["steps"][0]["result"] = "fine"
    must_fail(v, "explore", d, "a step result that is neither ok nor an errno name")

    # Keys other changes add: a step's fates, a scheme's adjusted options and error.
    d = copy.deepcopy(run)
    for s in d["steps"]:
        s["fates"] = []
    d["steps"][-1]["fates"] = [
        {"device": "nic", "vector": "q0", "fate": "lost", "was": "doorbell",
         "msg_addr": "0x8000040", "landed": None, "errno": "EFAULT",
         "reason": "0x8000040 does not translate in hb"},
        {"device": "nic", "vector": "q1", "fate": "misrouted", "was": None,
         "msg_addr": "0x8001040", "landed": "0x80a0040", "errno": None,
         "reason": "the doorbell of gpu v0"}]
    d["adjusted"] = [{"option": "reclaim", "from": "unused", "to": "none",
                      "why": "the kernel never reclaims"}]
    d["error"] = None
    must_pass(v, "run", d, "a step's fates, adjusted and error")
    d["error"] = {"errno": "EINVAL", "cause": "max_msi_maps 128 is over the kernel's 64"}
    must_pass(v, "run", d, "a run's error object")
    d = copy.deepcopy(cmp)
    for sch in d["summary"]["schemes"].values():
        sch["adjusted"] = []
        sch["error"] = None
    must_pass(v, "compare", d, "a scheme's adjusted and error in the summary")


def main():
    v = validators(load_schemas())
    docs = check_outputs(v)
    check_drift(v, docs)
    n = len(docs)
    if failures:
        print(f"json_schema_test: {len(failures)} failure(s):", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        return 1
    print(f"json_schema_test: {n} documents and the drift checks pass "
          f"(jsonschema {getattr(jsonschema, '__version__', '?')})")
    return 0


if __name__ == "__main__":
    warnings.simplefilter("ignore", DeprecationWarning)
    sys.exit(main())
