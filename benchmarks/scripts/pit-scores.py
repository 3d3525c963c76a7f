#!/usr/bin/env python3
"""Mutation scores per package from PIT's mutations.xml reports (the `mutation` Maven profile).

    /usr/bin/python3 benchmarks/scripts/pit-scores.py model/target/pit-reports/mutations.xml
    /usr/bin/python3 benchmarks/scripts/pit-scores.py ops-api/target/pit-reports/mutations.xml ops-cpu/target/pit-reports/mutations.xml

With several reports, a mutant that more than one run made (the same class, method, line, mutator
and instruction: ops-api's batching classes, mutated by ops-api's run and by ops-cpu's through
crossModule) counts as killed when any run killed it, so a package's score counts every module's
tests. A killed mutant is KILLED, TIMED_OUT, MEMORY_ERROR or RUN_ERROR, as in PIT's own total.
--survivors lists those no run killed.
"""

import collections
import sys
import xml.etree.ElementTree as ET

KILLED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}


def mutants(path):
    """{mutant key: (status, description)} for one report."""
    out = {}
    for m in ET.parse(path).getroot().iter("mutation"):
        index = m.find("indexes/index")
        key = (m.findtext("mutatedClass"), m.findtext("mutatedMethod"), m.findtext("methodDescription"),
               m.findtext("lineNumber"), m.findtext("mutator"),
               index.text if index is not None else m.findtext("index"))
        out[key] = (m.get("status"), m.findtext("description"))
    return out


def package(cls):
    outer = cls.split("$")[0]
    return outer.rsplit(".", 1)[0]


def main(args):
    show = "--survivors" in args
    runs = [mutants(p) for p in args if p != "--survivors"]
    if not runs:
        sys.exit(__doc__)
    keys = set().union(*runs)
    killed = {k for k in keys if any(r.get(k, ("",))[0] in KILLED for r in runs)}
    totals = collections.defaultdict(lambda: [0, 0])
    for k in keys:
        totals[package(k[0])][1] += 1
        totals[package(k[0])][0] += k in killed
    for pkg, (k, n) in sorted(totals.items()):
        print(f"{pkg:32} {k:5}/{n:<5} {100 * k / n:5.1f}%")
    print(f"{'total':32} {len(killed):5}/{len(keys):<5} {100 * len(killed) / len(keys):5.1f}%")
    if show:
        for k in sorted(keys - killed):
            status = [r.get(k, ("-",))[0] for r in runs]
            desc = next(r[k][1] for r in runs if k in r)
            print(f"  {k[0]}:{k[3]} {k[1]}: {desc} {status}")


if __name__ == "__main__":
    main(sys.argv[1:])
