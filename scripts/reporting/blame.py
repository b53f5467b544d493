"""Who made whom wait for the GIL: the report's reading of gilbench's --blame files.

scripts/reproduce runs a pass of its own with --blame=RUN_DIR/blame (untimed: blame walks the
dropping thread's stack at every drop); each threads row has RUN_DIR/blame/ROW.json, the waits
charged to the last holder and to its Python stack when it dropped the GIL, and to the holder and
its stack when the waiter asked (gil/blame.h). The folded ROW.folded (at the drop) and
ROW.asked.folded (at the asking) beside it open in speedscope, inferno or flamegraph.pl."""

import glob
import json
import os

from . import fmt
from .doc import Bullets, Para

TOP = 3


def load(run_dir):
    """{row name: summary} from RUN_DIR/blame/*.json, and the files that could not be read."""
    summaries, unreadable = {}, []
    for path in sorted(glob.glob(os.path.join(run_dir, "blame", "*.json"))):
        name = os.path.basename(path)[:-len(".json")]
        if name == "gilbench-blame":  # the pass's own Google Benchmark record
            continue
        try:
            with open(path, encoding="utf-8") as f:
                summary = json.load(f)
            summary["entries"], summary["total_wait_ns"]  # noqa: B018  (the shape we read)
        except (OSError, ValueError, KeyError, TypeError) as e:
            unreadable.append("%s (%s)" % (os.path.basename(path), e))
            continue
        summaries[row_name(name)] = summary
    return summaries, unreadable


def row_name(file_stem):
    """`latency/py3/threads/1/os` from `latency_py3_threads_1_os`: gilbench writes a row's name
    with '/' as '_'; the last four parts are policy, mode, n and placement, and a workload's own
    '_' (pipe_io) stays."""
    parts = file_stem.rsplit("_", 4)
    return "/".join(parts) if len(parts) == 5 else file_stem


def _where(entry, prefix=""):
    """`countdown (io_trio.py:21), called from burn (io_trio.py:32)`: innermost frame first.
    prefix "asked_": the stack when the waiter asked."""
    stack = list(reversed(entry.get(prefix + "stack") or [entry.get(prefix + "location", "?")]))
    text = stack[0]
    if len(stack) > 1:
        text += ", called from " + " ← ".join(stack[1:])
    return text


def entry_sentence(entry):
    text = ("%s waited %s in %s wait%s (%d%% of all waiting) while %s held the GIL at %s" % (
        entry["waiter"], fmt.seconds(entry["wait_ns"] / 1e9), "{:,}".format(entry["waits"]),
        "" if entry["waits"] == 1 else "s", round(100 * entry.get("share", 0)), entry["holder"],
        _where(entry)))
    # Older files have no asked_* keys; where the asking found the holder elsewhere, say where.
    if "asked_stack" in entry and (entry.get("asked_holder"), entry["asked_stack"]) != (
            entry["holder"], entry.get("stack")):
        text += " (when it asked, %s was at %s)" % (entry.get("asked_holder", "?"),
                                                    _where(entry, "asked_"))
    return text


def blocks(run_dir):
    """The section "Who made whom wait" (without its heading)."""
    summaries, unreadable = load(run_dir)
    if not summaries:
        text = ("No GIL blame in this run (scripts/reproduce writes it to `blame/` with "
                "`gilbench --blame`).")
        if unreadable:
            text += " Unreadable: %s." % "; ".join(unreadable)
        return [Para(text)]
    out = [Para("Each wait for the GIL that ended with another thread handing it over, charged "
                "to that thread and to where its Python code was when it let go (and, where it "
                "differs, where the holder was when the waiter asked); the top %d per row, from "
                "an untimed pass with `gilbench --blame` at the quick size. `blame/ROW.folded` "
                "(at the drop) and `blame/ROW.asked.folded` (at the asking) open in speedscope, "
                "inferno or flamegraph.pl. `processes` rows have none: each child runs one "
                "thread under a GIL of its own, so no thread ever waits for another's." % TOP)]
    items = []
    for name, summary in summaries.items():
        entries = summary["entries"][:TOP]
        if not entries:
            items.append("`%s`: no waits ended in a handoff." % name)
            continue
        items.append("`%s` (%s waited in all): %s." % (
            name, fmt.seconds(summary["total_wait_ns"] / 1e9),
            "; ".join(entry_sentence(e) for e in entries)))
    out.append(Bullets(items))
    if unreadable:
        out.append(Para("Unreadable blame files: %s." % "; ".join(unreadable)))
    return out
