"""missing_steps.json: what a scripts/reproduce run did not measure, so that its report says so.

scripts/reproduction/run.py writes it into the run folder when a step failed, was interrupted
(Ctrl-C, SIGTERM) or never ran, or a part of the results was cut short and left out; a run with
nothing missing removes an earlier one. scripts/report reads it and opens the report with it:

    {"interrupted_by": "SIGINT",
     "missing": ["round 2/7: gilbench: ... (interrupted by SIGINT)", "9 of the 16 planned steps
                 did not run"]}
"""

import os

from cpython_bench.output import write_json  # atomic: a temporary file, then a rename

from . import runs

MISSING_STEPS_JSON = "missing_steps.json"


def write(run_dir, missing, interrupted_by=None):
    """Records what is missing (sentences) and the signal that stopped the run (`SIGINT`, or
    None); with nothing missing, removes the record an earlier run into this folder left."""
    path = os.path.join(run_dir, MISSING_STEPS_JSON)
    if not missing and interrupted_by is None:
        if os.path.exists(path):
            os.remove(path)
        return
    write_json({"interrupted_by": interrupted_by, "missing": list(missing)}, path)


def load(run_dir):
    """(the signal that stopped the run or None, [what is missing]) of a run folder; None when it
    has no record; runs.LoadError when the record is not one."""
    path = os.path.join(run_dir, MISSING_STEPS_JSON)
    if not os.path.isfile(path):
        return None
    data = runs.read_json(path)
    missing = data.get("missing") if isinstance(data, dict) else None
    signal_name = data.get("interrupted_by") if isinstance(data, dict) else None
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing) or \
            not isinstance(signal_name, (str, type(None))):
        raise runs.LoadError("%s: not a record of missing steps ({\"interrupted_by\": "
                             "null or a signal, \"missing\": [text, ...]})" % path)
    return signal_name, missing
