#!/usr/bin/env python3
"""The deployment checks can fail: each test breaks one rule in a copy of deploy/ and expects
the check that guards it (scripts/check_deploy.py, run in this process on the copy) to fail
with a message naming what is wrong; the untouched copy passes every static check.

  .venv-test/bin/python3 -m unittest discover -s scripts -p test_check_deploy.py   (scripts/check-deploy.sh)
"""
import contextlib
import io
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_deploy  # noqa: E402  (the checker, loaded from beside this file)

ORIGINAL = check_deploy.DEPLOY


class MutatedDeployTests(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="deploy-mutant-")
        self.copy = os.path.join(self.work, "deploy")
        shutil.copytree(ORIGINAL, self.copy)
        check_deploy.DEPLOY = self.copy
        check_deploy.rendered_text.cache_clear()
        check_deploy.rendered_docs.cache_clear()
        check_deploy.failures.clear()
        # The checks print a line each; a broken copy's FAIL lines are expected here, so they
        # go to this buffer (shown when a test fails) rather than into the CI log.
        self.output = io.StringIO()
        self.quiet = contextlib.redirect_stdout(self.output)
        self.quiet.__enter__()

    def tearDown(self):
        self.quiet.__exit__(None, None, None)
        check_deploy.DEPLOY = ORIGINAL
        check_deploy.rendered_text.cache_clear()
        check_deploy.rendered_docs.cache_clear()
        check_deploy.failures.clear()
        shutil.rmtree(self.work)

    def edit(self, path, old, new):
        """Replaces the first `old` in deploy/`path` of the copy (text, so YAML anchors stay)."""
        full = os.path.join(self.copy, path)
        with open(full, encoding="utf-8") as handle:
            text = handle.read()
        self.assertIn(old, text, f"{path} no longer holds {old!r}: update this test")
        with open(full, "w", encoding="utf-8") as handle:
            handle.write(text.replace(old, new, 1))

    def assertFails(self, run, *expected):
        run()
        report = "\n".join(check_deploy.failures)
        self.assertTrue(check_deploy.failures, f"the check passed on the broken copy:\n{self.output.getvalue()}")
        for text in expected:
            self.assertIn(text, report)

    def test_untouched_copy_passes_the_checks_below(self):
        # The specification checks (schemas) are left to `check_deploy.py static` on deploy/ itself.
        for run in (check_deploy.check_restart_policies, check_deploy.check_pod_security, check_deploy.check_worker_sets,
                    check_deploy.check_rules, check_deploy.check_environment, check_deploy.check_scaling,
                    check_deploy.check_operations):
            run()
        self.assertEqual(check_deploy.failures, [], self.output.getvalue())

    def test_privilege_escalation_is_refused(self):
        self.edit("kubernetes/base/order-ingest.yaml", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true")
        self.assertFails(check_deploy.check_pod_security, "Deployment/order-ingest container worker: allowPrivilegeEscalation is not false")

    def test_a_keda_trigger_with_a_topic_is_refused(self):
        self.edit("kubernetes/base/order-ingest.yaml", "consumerGroup: order-ingest\n",
                  "consumerGroup: order-ingest\n        topic: shop.orders\n")
        self.assertFails(check_deploy.check_scaling, "ScaledObject/order-ingest: a `topic` limits the lag")

    def test_an_unknown_kafka_variable_is_refused(self):
        self.edit("compose.yaml", "    KAFKA_BROKERS: kafka:9092\n", "    KAFKA_BROKERS: kafka:9092\n    KAFKA_NO_SUCH_THING: \"1\"\n")
        self.assertFails(check_deploy.check_environment, "KAFKA_NO_SUCH_THING → no.such.thing, which librdkafka")

    def test_a_worker_thread_count_the_runtime_refuses_is_refused(self):
        self.edit("compose.yaml", "    BUS_CONFIG: /etc/bus/rules.json\n", "    BUS_CONFIG: /etc/bus/rules.json\n    BUS_WORKER_THREADS: \"0\"\n")
        self.assertFails(check_deploy.check_environment, "BUS_WORKER_THREADS=0: the runtime takes 1 to 256")

    def test_a_missing_rules_config_map_is_refused(self):
        self.edit("kubernetes/base/kustomization.yaml",
                  "  - { name: order-ingest-rules, files: [rules.json=rules/order-ingest.json] }\n", "")
        self.assertFails(check_deploy.check_worker_sets, "rules ConfigMaps")
        check_deploy.failures.clear()
        self.assertFails(check_deploy.check_rules, "order-ingest: rules ConfigMap order-ingest-rules not shipped")

    def test_a_probe_on_another_port_is_refused(self):
        self.edit("kubernetes/base/order-ingest.yaml", "httpGet: { path: /readyz, port: http }", "httpGet: { path: /readyz, port: 9090 }")
        self.assertFails(check_deploy.check_operations, "order-ingest: readinessProbe is {'path': '/readyz', 'port': 9090}")

    def test_an_unknown_restart_policy_is_refused(self):
        self.edit("compose.yaml", "restart: unless-stopped", "restart: sometimes")
        self.assertFails(check_deploy.check_restart_policies, "restart 'sometimes' is not no, always, on-failure[:N] or unless-stopped")

    def test_an_unquoted_restart_no_is_refused(self):
        self.edit("compose.demo.yaml", 'restart: "no"', "restart: no")
        self.assertFails(check_deploy.check_restart_policies, "compose.demo.yaml demo: restart: no unquoted")

    def test_the_demo_override_must_mount_the_demo_rules(self):
        self.edit("compose.demo.yaml", '  stock-broadcaster:\n    volumes: ["./demo-rules/stock-broadcaster.json:/etc/bus/rules.json:ro"]\n', "")
        self.assertFails(check_deploy.check_rules, "stock-broadcaster mounts ./kubernetes/base/rules/stock-broadcaster.json at /etc/bus/rules.json, not ./demo-rules/stock-broadcaster.json")


if __name__ == "__main__":
    unittest.main()
