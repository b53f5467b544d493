"""What the machine is doing before a measurement, and what about it can move the numbers.

A benchmark's answer depends on the machine's state: on this project's 2-core VM, CPython ran
countdown in 2 threads in 0.93x the time of one thread on a quiet machine and in 1.25x while
other processes loaded it. So scripts/reproduce and scripts/compare --ab look before they measure
and record what they saw (machine_state.json in the run folder, a section of the report):

  load          /proc/loadavg (1, 5, 15 minutes): a lagging figure, high for a minute after a
                build even when the machine is idle again
  busy          the share of all CPUs that was not idle over a short sample (/proc/stat), and the
                processes that used it (/proc/<pid>/stat): what is running *now*
  steal         the share the hypervisor gave to other guests during the sample
  governor      cpufreq's scaling governor per CPU ("n/a" where the kernel exposes none: most VMs)
  turbo         intel_pstate/no_turbo or cpufreq/boost, where either exists
  smt           whether sibling hardware threads are on (/sys/devices/system/cpu/smt/active)
  hypervisor    the `hypervisor` CPU flag and, where readable, the DMI vendor and product
  isolcpus      CPUs the kernel keeps for pinned work (/sys/devices/system/cpu/isolated)
  build age     seconds since the binaries were built: a build that just ended heats the CPUs
                and leaves the page cache and the load average disturbed

Everything is read from files any user can read; what cannot be read is recorded as unknown,
never guessed. `busy_beyond_threshold` is the one figure that stops a run (unless --force): the
others are warnings a reader needs to weigh the numbers.
"""

import glob
import os
import time

from . import runs

STATE_JSON = "machine_state.json"  # in a run folder, written by scripts/reproduce

# More than this share of the machine busy with other work stops a measurement (on 2 CPUs:
# half a core). The load average alone does not stop it: it lags a minute behind.
BUSY_THRESHOLD = 0.25
# A process using more than this share of one CPU during the sample is named.
NAMED_PROCESS_SHARE = 0.10
RECENT_BUILD_S = 60


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return None


def _cpu_times():
    """(busy, total, steal) jiffies summed over all CPUs, from /proc/stat's first line."""
    line = (_read("/proc/stat") or "").splitlines()[:1]
    if not line or not line[0].startswith("cpu "):
        return None
    values = [int(v) for v in line[0].split()[1:]]
    values += [0] * (8 - len(values))
    idle = values[3] + values[4]  # idle + iowait
    return sum(values[:8]) - idle, sum(values[:8]), values[7]


def _process_times(exclude):
    """{pid: (name, utime + stime jiffies)} of every process we can read."""
    out = {}
    for path in glob.glob("/proc/[0-9]*/stat"):
        pid = int(path.split("/")[2])
        if pid in exclude:
            continue
        text = _read(path)
        if not text or ")" not in text:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        try:
            out[pid] = (name, int(fields[11]) + int(fields[12]))
        except (IndexError, ValueError):
            continue
    return out


def _sample_busy(seconds):
    """Busy and steal shares of the whole machine over `seconds`, and the processes using it."""
    exclude = {os.getpid(), os.getppid()}
    before_cpu, before_proc = _cpu_times(), _process_times(exclude)
    start = time.monotonic()
    time.sleep(seconds)
    after_cpu, after_proc = _cpu_times(), _process_times(exclude)
    elapsed = time.monotonic() - start
    if before_cpu is None or after_cpu is None or after_cpu[1] == before_cpu[1]:
        return None, None, []
    total = after_cpu[1] - before_cpu[1]
    busy = (after_cpu[0] - before_cpu[0]) / total
    steal = (after_cpu[2] - before_cpu[2]) / total
    hz = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    # By name: a build is many short-lived compilers. A process born during the sample counts
    # all its time (it cannot have used any before).
    by_name = {}
    for pid, (name, ticks) in after_proc.items():
        used = ticks - before_proc[pid][1] if pid in before_proc else ticks
        entry = by_name.setdefault(name, {"name": name, "processes": 0, "cpu_share": 0.0})
        entry["processes"] += 1 if used > 0 else 0
        entry["cpu_share"] += used / hz / elapsed
    named = [dict(e, cpu_share=round(e["cpu_share"], 2)) for e in by_name.values()
             if e["cpu_share"] >= NAMED_PROCESS_SHARE]
    named.sort(key=lambda p: -p["cpu_share"])
    return max(0.0, busy), max(0.0, steal), named[:5]


def _governor():
    values = sorted({_read(p) for p in
                     glob.glob("/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor")} - {None})
    return ",".join(values) if values else "n/a"


def _turbo():
    no_turbo = _read("/sys/devices/system/cpu/intel_pstate/no_turbo")
    if no_turbo in ("0", "1"):
        return "on" if no_turbo == "0" else "off"
    boost = _read("/sys/devices/system/cpu/cpufreq/boost")
    if boost in ("0", "1"):
        return "on" if boost == "1" else "off"
    return "unknown"


def _smt():
    active = _read("/sys/devices/system/cpu/smt/active")
    return {"1": "on", "0": "off"}.get(active, "unknown")


def _hypervisor():
    flags = ""
    for line in (_read("/proc/cpuinfo") or "").splitlines():
        if line.startswith("flags"):
            flags = line
            break
    if " hypervisor" not in flags:
        return "none" if flags else "unknown"
    vendor = _read("/sys/class/dmi/id/sys_vendor") or ""
    product = _read("/sys/class/dmi/id/product_name") or ""
    name = " ".join(p for p in (vendor, product) if p)
    return "yes (%s)" % name if name else "yes"


def _isolcpus():
    isolated = _read("/sys/devices/system/cpu/isolated")
    if isolated:
        return isolated
    cmdline = _read("/proc/cmdline") or ""
    for word in cmdline.split():
        if word.startswith("isolcpus="):
            return word.split("=", 1)[1]
    return "none"


def _build_age_s(paths):
    times = [os.path.getmtime(p) for p in paths if os.path.exists(p)]
    return round(time.time() - max(times)) if times else None


def probe(build_paths=(), sample_s=2.0):
    """The machine's state now, as a JSON-ready dict (see the module docstring)."""
    busy, steal, processes = _sample_busy(sample_s)
    load = (_read("/proc/loadavg") or "").split()
    state = {
        "cpus": os.cpu_count(),
        "load_avg_1m": float(load[0]) if load else None,
        "load_avg_5m": float(load[1]) if len(load) > 1 else None,
        "load_avg_15m": float(load[2]) if len(load) > 2 else None,
        "busy_fraction": round(busy, 3) if busy is not None else None,
        "steal_fraction": round(steal, 3) if steal is not None else None,
        "busy_processes": processes,
        "sample_s": sample_s,
        "governor": _governor(),
        "turbo": _turbo(),
        "smt": _smt(),
        "hypervisor": _hypervisor(),
        "isolcpus": _isolcpus(),
        "build_age_s": _build_age_s(build_paths),
    }
    state["busy_beyond_threshold"] = busy is not None and busy > BUSY_THRESHOLD
    state["state"] = "busy" if state["busy_beyond_threshold"] else "quiet"
    return state


def load(run_dir):
    """A run folder's machine_state.json as a dict; None when the folder has none (a file given
    instead of a folder, or a run made without scripts/reproduce); runs.LoadError when broken:
    not an object, or a key this module reads holding the wrong kind of value (NaN busy share)."""
    path = os.path.join(run_dir, STATE_JSON)
    if not os.path.isdir(run_dir) or not os.path.exists(path):
        return None
    state = runs.read_json(path)
    if not isinstance(state, dict):
        raise runs.LoadError("%s: not a JSON object" % path)
    for key, value in state.items():
        expected = _RECORDED_KINDS.get(key)
        if value is not None and expected is not None and not expected[0](value):
            raise runs.LoadError("%s: %s is %s, not %s" % (path, key, runs.describe_value(value),
                                                          expected[1]))
    return state


def _is_process_list(value):
    return isinstance(value, list) and all(
        isinstance(p, dict) and isinstance(p.get("name"), str) and runs.is_number(
            p.get("cpu_share")) for p in value)


# The recorded keys this module computes with or prints, and what each must hold (null: unknown).
_NUMBER = (runs.is_number, "a number")
_TEXT = (lambda value: isinstance(value, str), "text")
_RECORDED_KINDS = {"cpus": _NUMBER, "load_avg_1m": _NUMBER, "busy_fraction": _NUMBER,
                   "steal_fraction": _NUMBER, "build_age_s": _NUMBER, "governor": _TEXT,
                   "turbo": _TEXT, "smt": _TEXT, "hypervisor": _TEXT, "isolcpus": _TEXT,
                   "busy_processes": (_is_process_list, "a list of processes (name, cpu_share)")}


def _processes_text(state):
    return ", ".join("%s (%d%% of a CPU)" % (p["name"], round(100 * p["cpu_share"]))
                     for p in state.get("busy_processes") or [])


def warnings(state):
    """Sentences a reader must weigh the numbers with; empty on a quiet, fixed-clock machine."""
    out = []
    busy = state.get("busy_fraction")
    if busy is not None and busy > 0.05:
        named = _processes_text(state)
        out.append("%d%% of the CPUs were busy with other work just before measuring%s" % (
            round(100 * busy), ": " + named if named else ""))
    load, cpus = state.get("load_avg_1m"), state.get("cpus") or 1
    if load is not None and load > 0.5 * cpus:
        out.append("load average %.2f on %d CPUs (it lags a minute behind: a build or test that "
                   "just ended still counts)" % (load, cpus))
    steal = state.get("steal_fraction")
    if steal is not None and steal > 0.02:
        out.append("the hypervisor took %d%% of the CPU time for other guests during the probe"
                   % round(100 * steal))
    governor = state.get("governor")
    if governor not in (None, "n/a", "performance"):
        out.append("CPU frequency governor `%s`: the clock follows the load, so a short run and a "
                   "long one may run at different speeds (`performance` holds it)" % governor)
    if state.get("turbo") == "on":
        out.append("turbo boost is on: the clock depends on how many cores are busy and how hot "
                   "they are")
    if str(state.get("hypervisor", "")).startswith("yes"):
        name = state["hypervisor"][len("yes"):].strip(" ()")
        out.append("a virtual machine%s: the host's other guests can change this machine's "
                   "speed from minute to minute" % (" (%s)" % name if name else ""))
    age = state.get("build_age_s")
    if age is not None and age < RECENT_BUILD_S:
        out.append("the build finished %d s before measuring" % age)
    return out


def report_sentence(state):
    """The report's line on the state it measured in; None when the run recorded none."""
    if not state:
        return None
    busy = state.get("busy_fraction")
    facts = []
    if busy is not None:
        facts.append("%d%% of the CPUs busy with other work just before" % round(100 * busy))
    if state.get("load_avg_1m") is not None:
        facts.append("load average %.2f" % state["load_avg_1m"])
    for key, label in (("governor", "governor"), ("turbo", "turbo"), ("smt", "SMT"),
                       ("hypervisor", "hypervisor"), ("isolcpus", "isolcpus")):
        facts.append("%s %s" % (label, state.get(key, "unknown")))
    if state.get("busy_beyond_threshold"):
        lead = ("**Measured on a busy machine** (run with `--force`): other work was using the "
                "CPUs, so these figures describe a loaded machine, not this one at rest")
    else:
        lead = "Measured on a quiet machine"
    text = "%s (%s)." % (lead, "; ".join(facts))
    notes = warnings(state)
    if notes:
        text += " Weigh the figures with this: " + "; ".join(notes) + "."
    return text


def describe(state):
    """One line for the log: `quiet (busy 2%, load 0.10, governor n/a, turbo unknown, ...)`."""
    def pct(v):
        return "?" if v is None else "%d%%" % round(100 * v)
    return "%s (busy %s, load %s, governor %s, turbo %s, SMT %s, hypervisor %s, isolcpus %s)" % (
        state.get("state"), pct(state.get("busy_fraction")), state.get("load_avg_1m"),
        state.get("governor"), state.get("turbo"), state.get("smt"), state.get("hypervisor"),
        state.get("isolcpus"))


def wait_until_quiet(build_paths, timeout_s, log):
    """Probe until the machine is quiet (or timeout_s passed); the last probe's state."""
    deadline = time.monotonic() + timeout_s
    while True:
        state = probe(build_paths)
        if not state["busy_beyond_threshold"] or time.monotonic() >= deadline:
            return state
        log("the machine is busy (%s); waiting for it to settle" % describe(state))
