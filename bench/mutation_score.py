"""Read `mutmut results --all true` on stdin; print the score of the mutants matching the
patterns and their survivors; exit 1 under --min percent killed."""

import argparse
import collections
import fnmatch
import sys

KILLED = {"killed", "timeout"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--min", type=float, default=90.0)
    parser.add_argument("patterns", nargs="+")
    args = parser.parse_args()
    status = {}
    for line in sys.stdin:
        name, sep, result = line.strip().rpartition(": ")
        if sep and any(fnmatch.fnmatch(name, p) for p in args.patterns):
            status[name] = result
    counts = collections.Counter(status.values())
    tested = sum(n for result, n in counts.items() if result not in {"not checked", "skipped"})
    killed = sum(counts[result] for result in KILLED)
    score = 100.0 * killed / tested if tested else 0.0
    print(f"mutants: {dict(sorted(counts.items()))}")
    for name, result in sorted(status.items()):
        if result not in KILLED:
            print(f"  {result}: {name}")
    print(f"mutation score on the rule modules: {score:.1f}% ({killed} of {tested} killed)")
    if not tested or score < args.min:
        print(f"below the required {args.min:.0f}%")
        sys.exit(1)


if __name__ == "__main__":
    main()
