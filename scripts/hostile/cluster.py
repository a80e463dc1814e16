"""The bus as operators run it, for the process-level checks: `bus dev` (the embedded cluster
in a process of its own) and the six worker executables as child processes, each with its log
in a file; and the outside clients (confluent-kafka, kcat) that talk to them."""
import os
import re
import socket
import subprocess
import threading
import time
import urllib.request

from confluent_kafka import Consumer, TopicPartition

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORKERS = ["customer-sync", "article-publisher", "stock-broadcaster", "order-ingest", "payment-letterer", "status-notifier"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DevCluster:
    """`bus dev --port 0`, its output copied to `log_path`."""

    def __init__(self, bus, log_path):
        self.log = open(log_path, "w")
        self.process = subprocess.Popen([bus, "dev", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.brokers = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.log.write(line)
            match = re.search(r"ready: KAFKA_BROKERS=(\S+)", line)
            if match:
                self.brokers = match.group(1)
                break
        if self.brokers is None:
            self.stop()
            raise RuntimeError("bus dev did not report ready within 60 s")
        threading.Thread(target=self._copy, daemon=True).start()

    def _copy(self):
        for line in self.process.stdout:
            self.log.write(line)
            self.log.flush()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Worker:
    """One worker executable, configured only by its environment, as in a container."""

    def __init__(self, directory, name, brokers, log_path, extra_env):
        self.name = name
        self.port = free_port()
        self.log_path = log_path
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "KAFKA_BROKERS": brokers, "KAFKA_SESSION_TIMEOUT_MS": "6000", "KAFKA_FETCH_WAIT_MAX_MS": "10",
            "BUS_HTTP_PORT": str(self.port), "BUS_LOG_LEVEL": "info", "BUS_SHUTDOWN_DEADLINE_SECONDS": "10",
            "BUS_CONFIG": os.path.join(ROOT, "deploy", "kubernetes", "base", "rules", f"{name}.json"),
            **extra_env,
        }
        self.log = open(log_path, "w")
        self.process = subprocess.Popen([os.path.join(directory, name)], env=env, stdout=self.log, stderr=self.log)
        self.pid = self.process.pid

    def get(self, path, timeout=3):
        """(status, body) of a GET on the worker's HTTP port; (None, "") when it does not answer."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=timeout) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError:
            return None, ""

    def running(self):
        return self.process.poll() is None

    def stop(self):
        """SIGTERM, then the exit code (killed after 20 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


def series(text, name, label):
    """{label value: sample} of every series of a family that has `label`."""
    found = {}
    for match in re.finditer(rf'^{re.escape(name)}\{{{label}="([^"]*)"\}} (\S+)$', text, re.M):
        found[match.group(1)] = float(match.group(2))
    return found


def read_topic(brokers, topic, timeout=15):
    """Every record of a topic now, partition by partition, as dicts (key and value as bytes,
    headers as {name: bytes})."""
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": "hostile-reader", "enable.auto.commit": False,
                         "fetch.wait.max.ms": 20, "receive.message.max.bytes": 200_000_000})
    try:
        metadata = consumer.list_topics(topic, timeout=10)
        wanted = {}
        for partition in metadata.topics[topic].partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
            if high > low:
                wanted[partition] = high
        if not wanted:
            return []
        consumer.assign([TopicPartition(topic, p, 0) for p in wanted])
        records = []
        done = set()
        deadline = time.monotonic() + timeout
        while len(done) < len(wanted) and time.monotonic() < deadline:
            message = consumer.poll(0.2)
            if message is None or message.error() is not None:
                continue
            records.append({"topic": topic, "partition": message.partition(), "offset": message.offset(),
                            "key": message.key(), "value": message.value(),
                            "headers": {k: v for k, v in (message.headers() or [])}})
            if message.offset() + 1 >= wanted[message.partition()]:
                done.add(message.partition())
        return records
    finally:
        consumer.close()


def committed_behind(brokers, group, topics):
    """How many records of `topics` the consumer group has not committed yet."""
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": group, "enable.auto.commit": False})
    try:
        behind = 0
        for topic in topics:
            parts = [TopicPartition(topic, p) for p in consumer.list_topics(topic, timeout=10).topics[topic].partitions]
            for tp in consumer.committed(parts, timeout=10):
                low, high = consumer.get_watermark_offsets(TopicPartition(topic, tp.partition), timeout=10)
                position = tp.offset if tp.offset >= 0 else low
                behind += max(0, high - position)
        return behind
    finally:
        consumer.close()
