"""Where a run was made, from what the run recorded, and how to read its counters.

Everything comes from the run directory (gilbench.json's context, topology.xml, cpython.json's
context), never from the machine making the report: reports are often made elsewhere (CI
artifacts, results/ of another machine). The CPU model is the context's `cpu_model` when gilbench
wrote one, else the hwloc export's `CPUModel`, else "unknown CPU".
"""

import xml.etree.ElementTree as ElementTree

from . import fmt
from .doc import Bullets, Para, Table

KERNEL_KEYS = ("kernel", "kernel_release", "os_release", "uname")


def read_topology(path):
    """Counts and info of an hwloc XML export, or None when it is missing or unreadable."""
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return None
    counts = {}
    info = {}
    for obj in root.iter("object"):
        kind = obj.get("type", "")
        counts[kind] = counts.get(kind, 0) + 1
        for item in obj.findall("info"):
            info.setdefault(item.get("name", ""), item.get("value", ""))
    return {"packages": counts.get("Package", 0), "cores": counts.get("Core", 0),
            "pus": counts.get("PU", 0), "numa_nodes": counts.get("NUMANode", 0), "info": info}


def cpu_model(context, topology):
    model = str(context.get("cpu_model", "")).strip()
    if not model and topology:
        model = topology["info"].get("CPUModel", "").strip()
    return model or "unknown CPU"


def _topology_count(context, topology, name):
    """A topology count from the context (what gilbench saw), else from topology.xml."""
    value = context.get("topology_" + name)
    if value not in (None, ""):
        try:
            return int(value)
        except ValueError:
            pass
    return topology[name] if topology and topology.get(name) else None


def machine_phrase(context, topology):
    """`2 cores, Intel(R) Xeon(R) Processor` (PUs too when SMT makes them differ)."""
    cores = _topology_count(context, topology, "cores")
    pus = _topology_count(context, topology, "pus") or context.get("num_cpus")
    parts = []
    if cores:
        parts.append("%d core%s" % (cores, "" if cores == 1 else "s"))
    if pus and pus != cores:
        parts.append("%s PUs" % pus)
    parts.append(cpu_model(context, topology))
    return ", ".join(parts)


def _plural(n, word):
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


def _topology_text(context, topology):
    names = (("packages", "package"), ("cores", "core"), ("pus", "PU"),
             ("numa_nodes", "NUMA node"))
    parts = [_plural(v, word) for key, word in names
             for v in [_topology_count(context, topology, key)] if v is not None]
    smt = context.get("topology_smt")
    if smt is not None:
        per_core = context.get("topology_max_pus_per_core")
        parts.append("SMT %s" % ("on (%s PUs per core)" % per_core if str(smt) == "true"
                                 else "off"))
    if context.get("allowed_cpuset"):
        parts.append("allowed cpuset %s" % context["allowed_cpuset"])
    return ", ".join(parts) or fmt.DASH


def _kernel(context, topology):
    for key in KERNEL_KEYS:
        if context.get(key):
            return str(context[key])
    if topology:
        info = topology["info"]
        text = " ".join(v for v in (info.get("OSName"), info.get("OSRelease")) if v)
        return text or None
    return None


def _caches(context):
    caches = context.get("caches")
    if not isinstance(caches, list) or not caches:
        return None
    parts = []
    for c in caches:
        parts.append("L%s %s %s" % (c.get("level", "?"), c.get("type", ""),
                                    fmt.size_bytes(c.get("size", 0))))
    return ", ".join(parts)


def machine_blocks(context, topology, cpython_context=None, topology_note=None):
    """The machine section: one row per fact the run recorded."""
    rows = [("CPU", cpu_model(context, topology)),
            ("Topology", _topology_text(context, topology)),
            ("Host", "%s (%s CPUs%s)" % (context.get("host_name", "?"),
                                         context.get("num_cpus", "?"),
                                         ", %s MHz" % context["mhz_per_cpu"]
                                         if context.get("mhz_per_cpu") else "")),
            ("Caches", _caches(context)),
            ("Kernel", _kernel(context, topology)),
            ("PMU", context.get("pmu_status")),
            ("Compiler", context.get("compiler")),
            ("Build", " ".join(str(context[k]) for k in ("build_type",) if context.get(k))
             + (" `%s`" % context["cxx_flags"].strip() if context.get("cxx_flags") else "")),
            ("gilbench", " ".join(p for p in (context.get("gilbench_version"),
                                              "git " + context["git_revision"]
                                              if context.get("git_revision") else None) if p)),
            ("GIL knobs", _knobs(context)),
            ("Size", context.get("size")),
            ("Date of the run", context.get("date")),
            ("Load average at start", ", ".join(fmt.num(x) for x in context["load_avg"])
             if isinstance(context.get("load_avg"), list) else None)]
    if cpython_context is not None:
        rows.append(("CPython", "%s (cpython.json, %s)" % (
            cpython_context.get("python_version", "version not recorded"),
            cpython_context.get("date", "undated"))))
    table = Table(["", "as recorded"], [[k, str(v) if v not in (None, "") else "not recorded"]
                             for k, v in rows], ["l", "l"])
    if topology_note:
        table.notes.append(topology_note)
    return [table]


def _knobs(context):
    parts = []
    if context.get("gil_switch_interval_us"):
        parts.append("switch interval %s µs" % context["gil_switch_interval_us"])
    if context.get("gil_check_interval"):
        parts.append("check interval %s" % context["gil_check_interval"])
    if context.get("gil_forced_switch"):
        parts.append("forced switch %s" % context["gil_forced_switch"])
    return ", ".join(parts) or None


def counters_blocks():
    """How to read the counters, and why they explain the ratios."""
    return [
        Bullets([
            "**handoff** (`gil_handoffs`): the GIL went to a thread other than the one that held "
            "it last. Each is a real switch of the running Python thread: the new holder starts "
            "on cold caches, often on another core. Many handoffs per second with a ratio above 1 "
            "means the threads spend their time passing the lock around, not computing.",
            "**futile wakeup** (`gil_futile_wakeups`): a waiter was woken because the GIL was "
            "released, but found it taken again before it could run — the releaser re-acquired "
            "it first (Beazley's \"false alarms\"). Python 2's signature on multicore: the holder "
            "releases and re-acquires every 100 ticks with no handoff, so per handoff there are "
            "several wasted wake-ups, each costing two context switches and a core's time.",
            "**drop request** (`gil_drop_requests`): a waiter waited a whole switch interval "
            "(5 ms by default) and asked the holder to let go (py3, fifo, prio). With CPU-bound "
            "threads there are about wall time ÷ interval of them; the interval also bounds how "
            "long an I/O thread can wait for the GIL after its I/O — the convoy effect, and why "
            "latency grows with CPU-bound threads beside it.",
            "**forced switch** (`gil_forced_switches`): a dropper waited until another thread "
            "had really taken the GIL (py3's cure for the race py2 loses).",
            "**context switches** (`ctx_voluntary` / `ctx_involuntary`): voluntary = a thread "
            "blocked (waiting for the GIL, in I/O); involuntary = the OS preempted it (more "
            "runnable threads than cores, e.g. on one core). Futile wakeups show up as "
            "voluntary switches.",
            "**IPC** (instructions ÷ cycles): lower when every handoff moves the work to a core "
            "whose caches do not hold it; n/a where the PMU cannot be read.",
            "**GIL wait p99**: how long the slowest 1% of acquisitions waited, from asking to "
            "holding: for an I/O thread, the latency the GIL adds.",
        ]),
        Para("Why they explain the ratios: with a GIL, n CPU-bound threads can at best take as "
             "long as one (ratio 1.00). They take longer when the lock moves often (handoffs/s), "
             "when wake-ups are wasted (futile/handoff) and when each move crosses cores (lower "
             "IPC, more voluntary switches). On one core the OS switches threads itself and the "
             "ratio stays near 1; processes and `subinterp` have no shared lock and approach "
             "1/n on n free cores."),
    ]
