"""Searches logs and a cluster's topics for personal data and secrets where none may be.

    pii_scan.py [LOG ...] [--brokers HOST:PORT] [--secret-file PATH ...] [--secret VALUE ...] [--json]

- Every line of every LOG (the stdout and stderr of the bus's processes) must hold no card
  number, e-mail address, phone number, and no secret value.
- With --brokers: every record (key, value, headers) of every topic the bus writes (the
  catalogue's topics with a worker among their writers: erp.*, shop.* outputs, bus.*), and
  every dead letter's headers. No card number anywhere, no secret anywhere, and e-mails and
  phone numbers only where ALLOWED says they travel by design (README "Personal data on the
  topics"). The `bus_*` headers of a dead letter may carry none at all; its original value
  and headers are the producer's record, kept for a replay (card numbers masked).
- Secrets: the contents of each --secret-file (a `KAFKA_*_FILE` given to the workers) and each
  --secret value, wherever they appear.

The detectors are written here, apart from the bus's own (`CardNumberDetector`), so a blind spot
in one is not a blind spot in both. Exit code 0 when nothing is found where it may not be, 1
otherwise; every finding names where (file and line, or topic/partition/offset and JSON path)
and what, never the value itself.
"""
import argparse
import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# Which personal data each topic the bus writes may carry, by design. Everything else: none.
ALLOWED = {
    # The ERP needs to reach its customers: account contacts, and orders' bill-to and ship-to
    # addresses with their phone (a sales order carries no e-mail).
    "erp.customer-updates": {"email", "phone"},
    "erp.sales-orders": {"phone"},
    # The site's own account data, sent back to it.
    "shop.customer-updates": {"email", "phone"},
    # Workers' state: the accounts (customer-sync) and orders as placed (order-ingest) they
    # need to match and forward; compacted, erased on request (README, "Erasure reaches every worker").
    "bus.customer-sync.state": {"email", "phone"},
    "bus.order-ingest.state": {"email", "phone"},
    "bus.customer-sync.rekey": {"email", "phone"},
}
# Dead letters keep the producer's record as it was (card numbers masked), for a replay:
# what the input topic may carry, the dead letter's value and original headers may carry.
DEAD_LETTER_VALUE_ALLOWED = {"email", "phone"}
# Values that look like personal data and are not: the erasure placeholder.
NOT_PERSONAL = {"erased@erased.invalid"}
# JSON members whose digits are not card numbers by meaning (GTINs, tracking numbers).
NOT_CARDS = {"gtin", "tracking_number", "tracking_url"}

# Bounded, and each starting only where a run begins: linear on a 2 MB value.
EMAIL = re.compile(rb"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])")
PHONE = re.compile(rb"(?<![\w+.:/-])(?:\+[1-9]\d{7,14}|0[1-9](?:[ .]?\d{2}){4})(?![\w])")
DIGIT_RUN = re.compile(rb"(?<![\w+.])\d(?:[ -]?\d){12,18}(?![\w])")
# A UUID's last two groups can be all digits (1 in 2,300 or so) and pass the Luhn check one time
# in ten: "8013-400000102947" is no card, but a part of an id. UUIDs are blanked before the
# digit runs are read.
UUID = re.compile(rb"(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])")


def luhn(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def cards(data):
    found = 0
    data = UUID.sub(lambda m: b"u" * len(m.group(0)), data)
    for match in DIGIT_RUN.finditer(data):
        digits = re.sub(rb"[ -]", b"", match.group(0)).decode()
        if 13 <= len(digits) <= 19 and luhn(digits):
            found += 1
    return found


def unescaped(data):
    """JSON `\\u00XX` escapes as the bytes they stand for, so an escaped card is seen."""
    return re.sub(rb"\\u00([0-7][0-9a-fA-F])", lambda m: bytes([int(m.group(1), 16)]), data)


def detect(data, secrets, skip_cards=False):
    """{what: count} of what `data` (bytes) holds."""
    if not data:
        return {}
    data = unescaped(data)
    found = {}
    emails = [m for m in EMAIL.findall(data) if m.decode(errors="replace").lower() not in NOT_PERSONAL]
    if emails:
        found["email"] = len(emails)
    phones = PHONE.findall(data)
    if phones:
        found["phone"] = len(phones)
    if not skip_cards:
        count = cards(data)
        if count:
            found["card_number"] = count
    for secret in secrets:
        if secret and secret.encode() in data:
            found["secret"] = found.get("secret", 0) + 1
    return found


def detect_json(data, secrets):
    """{(json path, what): count} of a JSON value, member by member (GTINs and the like are not
    judged as cards); the whole bytes when they are not JSON."""
    if not data:
        return {}
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return {("$", what): n for what, n in detect(data, secrets).items()}
    found = {}

    def walk(value, path, member):
        if isinstance(value, dict):
            for key, inner in value.items():
                for what, n in detect(key.encode("utf-8", "surrogatepass"), secrets).items():
                    found[(path, what)] = found.get((path, what), 0) + n
                walk(inner, f"{path}.{key}", key)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, f"{path}[{index}]", member)
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            for what, n in detect(str(value).encode("utf-8", "surrogatepass"), secrets, skip_cards=member in NOT_CARDS).items():
                found[(path, what)] = found.get((path, what), 0) + n

    try:
        walk(document, "$", None)
    except RecursionError:
        return {("$", what): n for what, n in detect(data, secrets).items()}
    return found


def scan_logs(paths, secrets, findings):
    lines = 0
    for path in paths:
        with open(path, "rb") as handle:
            for number, line in enumerate(handle, 1):
                lines += 1
                for what, n in detect(line, secrets).items():
                    findings.append({"where": f"{os.path.basename(path)}:{number}", "what": what, "count": n})
    return lines


def written_topics():
    with open(os.path.join(ROOT, "topics", "topics.json")) as handle:
        catalogue = json.load(handle)
    workers = set(catalogue["workers"])
    return [t["name"] for t in catalogue["topics"] if workers & set(t.get("writers", []))]


def scan_topics(brokers, secrets, findings):
    sys.path.insert(0, os.path.join(ROOT, "scripts", "hostile"))
    from cluster import read_topic
    counted = 0
    for topic in written_topics():
        allowed = ALLOWED.get(topic, set())
        for record in read_topic(brokers, topic):
            counted += 1
            where = f"{topic}/{record['partition']}/{record['offset']}"
            dead_letter = topic.startswith("bus.dlq.")
            for what, n in detect(record["key"], secrets).items():
                if what not in (DEAD_LETTER_VALUE_ALLOWED if dead_letter else allowed) or what in ("card_number", "secret"):
                    findings.append({"where": f"{where} key", "what": what, "count": n})
            for (path, what), n in detect_json(record["value"], secrets).items():
                may = DEAD_LETTER_VALUE_ALLOWED if dead_letter else allowed
                if what in ("card_number", "secret") or what not in may:
                    findings.append({"where": f"{where} value {path}", "what": what, "count": n})
            for name, value in record["headers"].items():
                may = set() if name.startswith("bus_") or not dead_letter else DEAD_LETTER_VALUE_ALLOWED
                for what, n in detect(value, secrets).items():
                    if what in ("card_number", "secret") or what not in may:
                        findings.append({"where": f"{where} header {name}", "what": what, "count": n})
    return counted


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("logs", nargs="*")
    parser.add_argument("--brokers")
    parser.add_argument("--secret-file", action="append", default=[])
    parser.add_argument("--secret", action="append", default=[])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    secrets = list(args.secret)
    for path in args.secret_file:
        with open(path) as handle:
            secrets.append(handle.read().rstrip("\n"))
    findings = []
    lines = scan_logs(args.logs, secrets, findings)
    records = scan_topics(args.brokers, secrets, findings) if args.brokers else 0
    result = {"log_lines": lines, "log_files": len(args.logs), "records": records, "secrets": len(secrets),
              "findings": findings}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"pii scan: {lines} log lines in {len(args.logs)} files, {records} records, {len(secrets)} secrets: "
              f"{len(findings)} findings")
        for finding in findings:
            print(f"  {finding['where']}: {finding['what']} x{finding['count']}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
