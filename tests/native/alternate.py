#!/usr/bin/env python3
"""Whole-process figures of commands run in alternating rounds (docs/native.md, docs/performance.md).

    tests/native/alternate.py [--rounds N] [--warmup W] NAME=COMMAND ... [--ratio A/B ...]

Each round runs every command once, in turn, so a change in the machine's load (it is shared)
falls on all of them alike; hyperfine runs one command's runs before the next one's. For each
command: the median wall time and the median CPU time (user + sys, from wait4's rusage, children
of the command included), with the lower and upper quartiles; for each --ratio A/B, the median of
the per-round ratios of A's CPU time to B's (B / A: how many times faster A is). A command's output
goes to /dev/null; a command that fails stops the run.
"""
import argparse
import os
import shlex
import statistics
import sys
import time


def run(argv):
    # posix_spawn, not fork: a forked Python's copy-on-write faults before the exec would be
    # counted in the child's CPU time.
    start = time.perf_counter()
    null = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=null)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed ({os.waitstatus_to_exitcode(status)}): {shlex.join(argv)}")
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def quartiles(values):
    q = statistics.quantiles(values, n=4)
    return q[0], statistics.median(values), q[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--ratio", action="append", default=[], metavar="A/B")
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args()
    commands = {}
    for spec in args.commands:
        name, _, command = spec.partition("=")
        commands[name] = shlex.split(command)
    for _ in range(args.warmup):
        for argv in commands.values():
            run(argv)
    wall = {name: [] for name in commands}
    cpu = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, argv in commands.items():
            w, c = run(argv)
            wall[name].append(w)
            cpu[name].append(c)
    print(f"{args.rounds} alternating rounds; load average {' '.join(open('/proc/loadavg').read().split()[:3])}")
    print(f"{'':28} {'CPU ms (user+sys) q1 / median / q3':>38} {'wall ms median':>16}")
    for name in commands:
        q1, med, q3 = quartiles(cpu[name])
        print(f"{name:28} {q1:12.1f} {med:8.1f} {q3:8.1f}       {statistics.median(wall[name]):14.1f}")
    for ratio in args.ratio:
        a, _, b = ratio.partition("/")
        per_round = [y / x for x, y in zip(cpu[a], cpu[b])]
        q1, med, q3 = quartiles(per_round)
        print(f"CPU {b} / {a}: {med:.2f}x [{q1:.2f}-{q3:.2f}]")


if __name__ == "__main__":
    main()
