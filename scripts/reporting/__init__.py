"""The Python behind scripts/report and scripts/compare: one module per idea.

    runs.py      load Google Benchmark JSON (leaving out, and naming, values that cannot be
                 used), parse our benchmark names, medians and spreads
    fmt.py       how numbers, times, ratios and rates are written (one place, so every table agrees)
    doc.py       a tiny document model (headings, paragraphs, tables, images) and its Markdown form
    html.py      the same document as one self-contained HTML page (CSS and charts inline)
    verdict.py   the opening sentences: threads against one thread, per policy and placement
    tables.py    the tables: per workload with the explaining counters, I/O, the switch interval
    contention.py  locks, queues and pools: the workloads that start their own threads and
                 processes, against one thread and against forked processes, and why
    trace.py     read a gilvm --trace file (Chrome/Perfetto JSON) into per-thread spans
    charts.py    the matplotlib charts (Agg backend, written as PNG beside the report)
    machine.py   where the run was made (context + topology.xml) and how to read the counters
    report.py    scripts/report: puts the sections together and writes report.md / report.html
    compare.py   scripts/compare: two runs, medians, Mann-Whitney U, verdicts and exit status
    missing_steps.py  what a scripts/reproduce run did not finish (missing_steps.json)

Only the standard library is needed to load and tabulate; matplotlib (charts) and scipy (the U
test) are imported where they are used, so a machine without them still gets the text.
"""
