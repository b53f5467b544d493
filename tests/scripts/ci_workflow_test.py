#!/usr/bin/python3
"""Tests of the CI workflow users copy (ci/github-actions/gilbench.yml), the GitLab example and
scripts/ci.

- The workflow validates with action-validator (the npm package @action-validator/cli, which
  scripts/setup installs into build/tools/npm), and a broken copy of it does not.
- Every `run:` step of the workflow is run here, in its job's order, with GitHub's variables
  stood in for (GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, the pull request's base commit), and its
  outputs checked: the job summary, the gate's exit status, the paths the `uses:` steps
  (upload-artifact, github-action-benchmark) read, and the exports against the tools' schemas.
  Two things differ from a real runner: the base commit is HEAD itself (an A/A comparison: one
  build for both sides, so no second build of the whole project), and the workflow's env is
  made small (3 rounds of tiny rows; `scripts/reproduce --quick`). `scripts/test` is the one
  step not run: this test is part of it.
- After the checkout, each `run:` is one call of a repository script, so no logic lives only in
  the YAML.

Run: /usr/bin/python3 tests/scripts/ci_workflow_test.py [TestCase] (or ctest -R '^ci_workflow').
Exits 77 (ctest: skipped) without PyYAML or jsonschema, or without a release build; the
validator test skips, naming why, when action-validator could not be installed.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
WORKFLOW = os.path.join(REPO, "ci", "github-actions", "gilbench.yml")
GITLAB = os.path.join(REPO, "ci", "gitlab", "gilbench.gitlab-ci.yml")
VALIDATOR = os.path.join(REPO, "build", "tools", "npm", "node_modules", ".bin",
                         "action-validator")
GILBENCH = os.path.join(REPO, "build", "release", "bin", "gilbench")
SCHEMAS = os.path.join(HERE, "schemas")

try:
    import jsonschema
    import yaml
except ImportError as e:
    print("ci_workflow_test: skipped: %s (scripts/setup installs python3-yaml and "
          "python3-jsonschema)" % e)
    sys.exit(77)

# The workflow's env, made small for a test (the values a user would never choose).
SMALL_ENV = {
    "GILBENCH_CI_ROUNDS": "3",
    "GILBENCH_CI_FLAGS": "--size=tiny --workloads=countdown --policies=py3 --modes=seq,threads "
                         "--threads=2 --placements=os",
    "GILBENCH_CI_REPRODUCE": "--quick",
}
SINGLE_SCRIPT = re.compile(r'^scripts/[\w-]+( [^&|;`$()]*| [^&|;`]*"\$\{\{[^}]*\}\}"[^&|;`]*)?'
                           r'( >> "\$GITHUB_STEP_SUMMARY")?$')


def load_workflow():
    with open(WORKFLOW) as f:
        # PyYAML reads the key `on` as the boolean True (YAML 1.1); GitHub reads it as "on".
        doc = yaml.safe_load(f)
    doc["on"] = doc.pop(True, doc.get("on"))
    return doc


def run_steps(steps):
    """(run steps before the checkout, run steps after it) of a job."""
    before, after, seen_checkout = [], [], False
    for step in steps:
        if step.get("uses", "").startswith("actions/checkout@"):
            seen_checkout = True
        elif "run" in step:
            (after if seen_checkout else before).append(step)
    return before, after


def head_commit():
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, check=True,
                          capture_output=True, text=True).stdout.strip()


class ValidatorTest(unittest.TestCase):
    def setUp(self):
        if not os.access(VALIDATOR, os.X_OK):
            self.skipTest("action-validator is not installed in build/tools/npm (scripts/setup "
                          "installs it from the npm registry; see build/tools/npm/install.log)")

    def validate(self, path):
        return subprocess.run([VALIDATOR, path], capture_output=True, text=True, timeout=120)

    def test_workflow_is_valid(self):
        result = self.validate(WORKFLOW)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_a_broken_workflow_is_refused(self):
        """The validator is not a no-op: a misspelt key and a job without runs-on fail."""
        with open(WORKFLOW) as f:
            text = f.read()
        with tempfile.TemporaryDirectory() as tmp:
            for broken in (text.replace("runs-on: ubuntu-latest", "", 1),
                           text.replace("    steps:", "    stepz:", 1)):
                path = os.path.join(tmp, "broken.yml")
                with open(path, "w") as f:
                    f.write(broken)
                self.assertNotEqual(self.validate(path).returncode, 0)


class ShapeTest(unittest.TestCase):
    def test_jobs_and_triggers(self):
        doc = load_workflow()
        self.assertIn("pull_request", doc["on"])
        self.assertEqual(doc["on"]["push"]["branches"], ["main"])
        self.assertEqual(set(doc["jobs"]), {"compare", "track"})
        for name in SMALL_ENV:
            self.assertIn(name, doc["env"])

    def test_every_step_after_checkout_is_one_repository_script(self):
        doc = load_workflow()
        for job_name, job in doc["jobs"].items():
            before, after = run_steps(job["steps"])
            self.assertLessEqual(len(before), 1, "%s: one bootstrap step at most" % job_name)
            for step in after:
                command = step["run"].strip()
                self.assertRegex(command, SINGLE_SCRIPT, "%s: %s" % (job_name, command))
                script = command.split()[0]
                self.assertTrue(os.access(os.path.join(REPO, script), os.X_OK), script)

    def test_gate_and_upload_survive_a_failed_compare(self):
        steps = load_workflow()["jobs"]["compare"]["steps"]
        names = [s.get("run", s.get("uses", "")) for s in steps]
        compare = next(s for s in steps if s.get("run") == "scripts/ci compare")
        self.assertTrue(compare.get("continue-on-error"))
        upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
        self.assertEqual(upload.get("if"), "always()")
        self.assertEqual(names[-1], "scripts/ci gate")

    def test_gitlab_example(self):
        with open(GITLAB) as f:
            doc = yaml.safe_load(f)
        compare = doc["gilbench-compare"]
        self.assertEqual(compare["allow_failure"], {"exit_codes": [3]})
        self.assertIn('scripts/ci pr --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA"', compare["script"])
        for job in ("gilbench-compare", "gilbench-track"):
            for command in doc[job]["script"]:
                self.assertTrue(os.access(os.path.join(REPO, command.split()[0]), os.X_OK),
                                command)
            self.assertEqual(doc[job]["artifacts"]["paths"], ["ci-work/run"])


class StepsTest(unittest.TestCase):
    """Runs every run-step of both jobs here, in order, and checks what each leaves."""

    @classmethod
    def setUpClass(cls):
        if not os.access(GILBENCH, os.X_OK):
            raise unittest.SkipTest("no release build (build/release/bin/gilbench)")
        cls.tmp = tempfile.mkdtemp(prefix="ci-workflow-")
        cls.workflow = load_workflow()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def environment(self, job):
        env = dict(os.environ)
        env.update({k: str(v) for k, v in self.workflow.get("env", {}).items()})
        env.update(SMALL_ENV)
        work = os.path.join(self.tmp, job)
        env.update({
            "GITHUB_WORKSPACE": REPO,
            "GITHUB_STEP_SUMMARY": os.path.join(self.tmp, job + "-summary.md"),
            "GILBENCH_CI_WORK": work,  # stands in for ci-work/ in the checkout
            "HOME": os.path.join(self.tmp, "home"),  # `git config --global` lands here
        })
        os.makedirs(env["HOME"], exist_ok=True)
        return env, work

    def run_job(self, job):
        """{command: exit status} of every run-step of `job`, run as the runner would."""
        env, work = self.environment(job)
        statuses = {}
        before, after = run_steps(self.workflow["jobs"][job]["steps"])
        substitutions = {"${{ github.event.pull_request.base.sha }}": head_commit()}
        for step in before + after:
            command = step["run"].strip()
            if command == "scripts/test":
                continue  # this test is part of scripts/test
            if step in before and (os.geteuid() != 0 or not shutil.which("apt-get")):
                continue  # the bootstrap installs git with apt-get: root only
            for k, v in substitutions.items():
                command = command.replace(k, v)
            result = subprocess.run(["bash", "-e", "-c", command], cwd=REPO, env=env,
                                    capture_output=True, text=True, timeout=900)
            statuses[step["run"].strip()] = result.returncode
            may_fail = step.get("continue-on-error") or step is after[-1]
            if result.returncode != 0 and not may_fail:
                self.fail("%s: `%s` exited %d\n%s" % (job, command, result.returncode,
                                                      result.stderr[-3000:]))
        return statuses, env, work

    def test_compare_job(self):
        statuses, env, work = self.run_job("compare")
        # An A/A comparison: no regression or inconclusive on a quiet machine, but 3 rounds of
        # 2 ms rows beside other tests have once been judged slower (all three pairs above
        # 1.05): what is checked here is that the steps ran and the gate follows the compare.
        compare = statuses["scripts/ci compare"]
        self.assertIn(compare, (0, 1, 3))  # 2 would be a step that could not compare
        self.assertEqual(statuses["scripts/ci gate"], 1 if compare == 1 else 0)
        with open(env["GITHUB_STEP_SUMMARY"]) as f:
            summary = f.read()
        self.assertIn("## gilbench: base against head", summary)
        self.assertRegex(summary, r"No regression|Inconclusive|\*\*Regression\*\*")
        self.assertIn("| countdown/py3/threads/2/os", summary)
        # What the upload step uploads: the comparison and every round of both sides.
        run = os.path.join(work, "run")
        rounds = sorted(n for n in os.listdir(os.path.join(run, "rounds"))
                        if n.endswith(".json"))
        self.assertEqual(len(rounds), 6, rounds)
        self.assertTrue(os.path.getsize(os.path.join(run, "compare.md")))
        with open(os.path.join(work, "builds.json")) as f:
            builds = json.load(f)
        self.assertEqual(builds["base"]["commit"], builds["head"]["commit"])

    def test_gate_fails_a_regression_and_passes_inconclusive(self):
        env, work = self.environment("gate")
        os.makedirs(os.path.join(work, "run"))
        for status, gate in ((1, 1), (3, 0), (0, 0), (2, 2)):
            with open(os.path.join(work, "run", "compare-status"), "w") as f:
                f.write("%d\n" % status)
            result = subprocess.run([os.path.join(REPO, "scripts", "ci"), "gate"], env=env,
                                    capture_output=True, text=True, timeout=60)
            self.assertEqual(result.returncode, gate, (status, result.stderr))
        os.remove(os.path.join(work, "run", "compare-status"))
        result = subprocess.run([os.path.join(REPO, "scripts", "ci"), "gate"], env=env,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2)  # no comparison made is no pass

    def test_track_job(self):
        statuses, env, work = self.run_job("track")
        self.assertEqual(set(statuses.values()), {0}, statuses)
        with open(env["GITHUB_STEP_SUMMARY"]) as f:
            summary = f.read()
        self.assertIn("### Verdict", summary)
        self.assertRegex(summary, r"Exported \d+ figures of \d+ benchmarks")
        # The files the github-action-benchmark steps read, valid for the action.
        with open(os.path.join(SCHEMAS, "github-action-benchmark-custom.schema.json")) as f:
            gab = jsonschema.Draft7Validator(json.load(f))
        for step in self.workflow["jobs"]["track"]["steps"]:
            if step.get("uses", "").startswith("benchmark-action/github-action-benchmark"):
                path = step["with"]["output-file-path"].replace(
                    "ci-work", env["GILBENCH_CI_WORK"], 1)
                with open(path) as f:
                    gab.validate(json.load(f))
        with open(os.path.join(SCHEMAS, "bencher-bmf.schema.json")) as f:
            bmf = jsonschema.Draft7Validator(json.load(f))
        with open(os.path.join(work, "run", "exports", "bencher.json")) as f:
            bmf.validate(json.load(f))


class CommandLineTest(unittest.TestCase):
    def run_ci(self, *args):
        return subprocess.run([os.path.join(REPO, "scripts", "ci"), *args],
                              capture_output=True, text=True, timeout=60)

    def test_usage_errors_are_exit_2(self):
        for args in (("build",), ("pr",), ("compare", "--rounds"), ("nonsense",),
                     ("build", "--base", "no-such-ref-anywhere")):
            result = self.run_ci(*args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertIn("scripts/ci:", result.stderr)

    def test_compare_without_build_is_exit_2(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = self.run_ci("compare", "--work", tmp)
            self.assertEqual(result.returncode, 2)
            self.assertIn("run `scripts/ci build` first", result.stderr)

    def test_help(self):
        self.assertIn("scripts/ci build", self.run_ci("--help").stdout)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + sys.argv[1:])
