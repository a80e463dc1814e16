import BusKafka
import BusSchema
import Foundation

/// The checks a chaos run adds to the demo's reconciliation: what kills, an outage and
/// rebalances must not change.
struct ChaosChecks {
    let outcome: DemoOutcome
    /// The clean run with the same seed (its own cluster, no faults).
    let clean: DemoOutcome
    /// Where the compacted topics' differences are written, if any.
    var differencesDirectory: URL?
    var journal: BusJournal { outcome.journal }

    /// Outputs the workers wrote more than once, counted after deduplicating by `ce_id`: a
    /// redelivered input's outputs carry the same ids (harmless); the same effect under two
    /// ids would reach the ERP or the customer twice. Event topics that leave the bus only
    /// (`erp.*`, `shop.*`, `bus.exceptions`): on a compacted topic a repeat is the same table
    /// row, checked by `compactedTopics`; a worker's internal topics are its own business.
    func duplicates(compacted: Set<String>) -> (check: Check, redelivered: Int, duplicated: Int) {
        var seenIDs: Set<String> = []
        var redelivered = 0
        var effects: [String: Set<String>] = [:]
        for record in journal.records {
            guard let source = record.source, source.hasPrefix("bus/"), !compacted.contains(record.topic),
                  !record.topic.hasPrefix("bus.") || record.topic == Topics.exceptions, let id = record.id else { continue }
            guard seenIDs.insert(id).inserted else { redelivered += 1; continue }
            let effect = "\(record.topic)|\(record.key ?? "")|\(record.type ?? "")|" + (record.value.map { String(decoding: $0, as: UTF8.self) } ?? "")
            effects[effect, default: []].insert(id)
        }
        let repeated = effects.filter { $0.value.count > 1 }
        let duplicated = repeated.values.reduce(0) { $0 + $1.count - 1 }
        let failures = repeated.keys.sorted().prefix(20).map { effect in
            let parts = effect.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
            return "\(parts[0]) key \(parts[1]) (\(parts[2])): the same output under \(repeated[effect]?.count ?? 0) ids"
        }
        let check = Check(name: "duplicates", summary: "\(seenIDs.count) distinct outputs on event topics; \(redelivered) redelivered with the same ce_id (deduplicated); \(duplicated) duplicated after dedup",
                          failures: Array(failures))
        return (check, redelivered, duplicated)
    }

    /// Every input topic's committed offsets stand at its end: no input left unprocessed.
    func offsets() -> Check {
        var failures: [String] = []
        for (name, counts) in outcome.counts where counts.lag > 0 {
            failures.append("\(name): \(Reconciliation.count(counts.lag, "input")) not committed at the end")
        }
        return Check(name: "offsets", summary: "every flow's group committed to the end of each of its input partitions", failures: failures)
    }

    /// The last value of every key of every compacted topic equals the clean run's, once the
    /// run ids are taken out of keys and values, and with them what derives from them or from
    /// arrival times: name-based UUIDs (ids made from run-tagged inputs) and instants (an
    /// `updated_at` is the time of whichever input came last, which kills reorder).
    func compactedTopics(_ topics: [String]) -> Check {
        var failures: [String] = []
        var keys = 0
        var differences: [String] = []
        var raced: Set<String> = []
        let conflict = outcome.day.conflictAccount.map { Self.normalize($0.rawValue, run: outcome.day.run) }
        for topic in topics {
            let mine = normalized(outcome.journal.latest(on: topic), run: outcome.day.run)
            let theirs = normalized(clean.journal.latest(on: topic), run: clean.day.run)
            keys += theirs.count
            let differing = Set(mine.keys).union(theirs.keys).filter { mine[$0] != theirs[$0] }.sorted()
                .filter { key in
                    guard Self.racesAcrossTopics(key, mine[key], theirs[key], conflict: conflict) else { return true }
                    raced.insert("\(topic) \(key)")
                    return false
                }
            if !differing.isEmpty {
                differences += differing.map { "\(topic) \($0)\n  chaos: \(mine[$0] ?? "none")\n  clean: \(theirs[$0] ?? "none")" }
                failures.append("\(topic): \(Reconciliation.count(differing.count, "key")) differ from the clean run (\(differing.prefix(4).joined(separator: ", ")))")
            }
        }
        // The values themselves hold made-up personal data: to a file, never to the report.
        if !differences.isEmpty, let directory = differencesDirectory {
            let file = directory.appendingPathComponent("compacted-differences.txt")
            try? Data(differences.joined(separator: "\n").utf8).write(to: file)
            failures.append("every difference: \(file.path)")
        }
        return Check(name: "compacted", summary: "\(Reconciliation.count(keys, "key")) on \(topics.count) compacted topics: last values equal to a clean run with the same seed",
                     failures: failures,
                     details: raced.isEmpty ? [] : ["\(Reconciliation.count(raced.count, "key")) of the deliberate conflicting edit left out (\(raced.sorted().joined(separator: ", "))): "
                                                    + "the side whose edit customer-sync reads first is forwarded before the other shows the conflict, and Kafka keeps no order across topics"])
    }

    /// Whether a key's last value may differ from the clean run's by design: it belongs to the
    /// account whose phone the site and the ERP change a second apart (`conflictingEdit`). The
    /// conflict is raised whatever the order (the "bad inputs" check holds it), but which
    /// side's value was forwarded before the second edit was read depends on which of
    /// `shop.customers` and `erp.customers` customer-sync read first.
    static func racesAcrossTopics(_ key: String, _ mine: String?, _ theirs: String?, conflict: String?) -> Bool {
        guard let conflict else { return false }
        let account = "\"site_account_id\":\"\(conflict)\""
        return key == conflict || mine?.contains(account) == true || theirs?.contains(account) == true
    }

    /// What derives from run-tagged inputs and arrival times: name-based UUIDs, the numbers
    /// order-ingest gives a cancellation turned into a return ("RC-" and 29 upper-case hex
    /// digits of a name-based UUID of the run-tagged request id, `OrderHandling.returnNumber`),
    /// and RFC 3339 instants.
    nonisolated(unsafe) private static let volatile = try? NSRegularExpression(
        pattern: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|RC-[0-9A-F]{29}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z")

    /// `text` with the run id replaced by a placeholder and what derives from it (`volatile`)
    /// by "…": two runs' texts are equal when they differ in nothing else.
    static func normalize(_ text: String, run: RunTag) -> String {
        let untagged = text.replacingOccurrences(of: "-\(run.id)", with: "-RUN").replacingOccurrences(of: ".\(run.id.lowercased())@", with: ".run@")
        return volatile?.stringByReplacingMatches(in: untagged, range: NSRange(untagged.startIndex..., in: untagged), withTemplate: "…") ?? untagged
    }

    /// Key to value text, normalised (`normalize`); a tombstone is "∅".
    private func normalized(_ latest: [String: ObservedRecord], run: RunTag) -> [String: String] {
        var result: [String: String] = [:]
        for (key, record) in latest {
            result[Self.normalize(key, run: run)] = record.value.map { Self.normalize(String(decoding: $0, as: UTF8.self), run: run) } ?? "∅"
        }
        return result
    }
}
