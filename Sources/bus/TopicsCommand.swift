import BusKafka
import BusSchema
import Foundation

/// `bus topics list|apply`: the catalogue's topics against a cluster's.
struct TopicsCommand: BusCommand {
    let name = "topics"
    let summary = "compare the cluster's topics with the catalogue; create the missing ones"
    let usage = """
    usage:
      bus topics list                        each catalogue topic with its settings and its state on the cluster
      bus topics apply [--replication N] [--timeout SECONDS]
                                             create missing catalogue topics through the admin API (partitions,
                                             replication, cleanup.policy, retention.ms, max.compaction.lag.ms from
                                             the catalogue); report drift of existing ones (partition count and
                                             those settings)
                                             without changing them. Exit 1 while anything is missing or drifted.
      --replication N   create with replication factor N instead of the catalogue's. Without it, a catalogue
                        replication above the cluster's broker count is capped at that count, and said so
      --timeout S       how long an admin request may take (default 15); a cluster without an admin API (the
                        embedded one of `bus dev`) is reported as such after that
    \(CatalogueFile.usage)
    \(ClusterConnection.usage)
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        guard let subcommand = arguments.first else { throw UsageError(message: "missing subcommand (list or apply)") }
        guard ["list", "apply"].contains(subcommand) else { throw UsageError(message: "unknown subcommand '\(subcommand)' (list or apply)") }
        let extra: Set<String> = subcommand == "apply" ? ["replication", "timeout"] : []
        let parsed = try ParsedArguments(Array(arguments.dropFirst()), known: ClusterConnection.flags.union(extra).union([CatalogueFile.flag]))
        _ = try parsed.positionals([], required: 0)
        let replication = try parsed.positiveInteger("replication")
        let timeout = Duration.seconds(try parsed.positiveInteger("timeout") ?? 15)
        let connection = ClusterConnection(parsed)
        return try attempt(output) {
            let catalogue = try CatalogueFile.load(parsed)
            let reader = try connection.reader()
            let onCluster = Dictionary(uniqueKeysWithValues: try connection.topics(reader).map { ($0.name, $0.partitions) })
            reader.close()
            if subcommand == "list" { return list(catalogue, onCluster: onCluster, output: output) }
            return try apply(catalogue, onCluster: onCluster, replication: replication, timeout: timeout, connection: connection, output: output)
        }
    }

    private func list(_ catalogue: TopicCatalogue, onCluster: [String: Int], output: Output) -> ExitCode {
        var table = Table("TOPIC", "PARTITIONS", "REPLICATION", "CLEANUP", "RETENTION", "ON CLUSTER")
        for topic in catalogue.topics {
            let state = onCluster[topic.name].map { $0 == topic.partitions ? "ok" : "\($0) partitions" } ?? "missing"
            table.add(topic.name, String(topic.partitions), String(topic.replication), topic.cleanup.rawValue, Format.retention(topic.retentionMs), state)
        }
        table.print(to: output)
        let missing = catalogue.topics.filter { onCluster[$0.name] == nil }.count
        output.line("\(Format.count(catalogue.topics.count, "catalogue topic")), \(missing) missing on the cluster")
        let known = Set(catalogue.topics.map(\.name))
        let others = onCluster.keys.filter { !known.contains($0) }.sorted()
        if !others.isEmpty { output.line("also on the cluster, not in the catalogue: \(others.joined(separator: ", "))") }
        return .success
    }

    /// `bus topics apply` as another command runs it first (`bus demo --brokers`): creates the
    /// missing topics; throws when the cluster still does not match the catalogue.
    func apply(_ catalogue: TopicCatalogue, connection: ClusterConnection, output: Output, timeout: Duration = .seconds(5)) throws {
        let reader = try connection.reader()
        let onCluster = Dictionary(uniqueKeysWithValues: try connection.topics(reader).map { ($0.name, $0.partitions) })
        reader.close()
        guard try apply(catalogue, onCluster: onCluster, replication: nil, timeout: timeout, connection: connection, output: output) == .success else {
            throw CommandFailure("the cluster's topics do not match the catalogue (see above)")
        }
    }

    private func apply(
        _ catalogue: TopicCatalogue, onCluster: [String: Int], replication: Int?, timeout: Duration,
        connection: ClusterConnection, output: Output
    ) throws -> ExitCode {
        let missing = catalogue.topics.filter { onCluster[$0.name] == nil }
        let existing = catalogue.topics.filter { onCluster[$0.name] != nil }
        var problems = 0
        var created = 0
        var adminFailure: String?
        let admin = try connection.admin()
        if !missing.isEmpty {
            let brokers = replication == nil ? try? admin.brokerCount(timeout: timeout) : nil
            let factor = ReplicationChoice(explicit: replication, brokers: brokers)
            if let note = factor.note(for: missing) { output.line(note) }
            let requests = missing.map { topic in
                NewTopic(name: topic.name, partitions: topic.partitions, replicationFactor: factor.replication(for: topic),
                         configs: topic.configs)
            }
            var outcomes: [String: Result<Void, KafkaError>] = [:]
            do { outcomes = try admin.createTopics(requests, timeout: timeout) } catch { adminFailure = adminUnavailable(error, timeout: timeout) }
            for request in requests {
                switch outcomes[request.name] {
                case .success?:
                    created += 1
                    output.line("created  \(request.name)  \(request.partitions) partitions, replication \(request.replicationFactor), \(request.configs["cleanup.policy"] ?? ""), retention \(Format.retention(Int64(request.configs["retention.ms"] ?? "") ?? -1))\(request.configs["max.compaction.lag.ms"].map { ", compacted within \(Format.retention(Int64($0) ?? -1))" } ?? "")")
                case .failure(let error)?:
                    problems += 1
                    let hint = error.name == "INVALID_REPLICATION_FACTOR" ? " (fewer brokers than the replication? see --replication)" : ""
                    output.line("missing  \(request.name)  not created: \(error.message)\(hint)")
                case nil:
                    problems += 1
                    output.line("missing  \(request.name)  not created: \(adminFailure ?? "no answer for this topic")")
                }
            }
        }
        for topic in existing where onCluster[topic.name] != topic.partitions {
            problems += 1
            output.line("drift    \(topic.name)  \(onCluster[topic.name] ?? 0) partitions, the catalogue says \(topic.partitions) (not changed: adding partitions moves keys to other partitions; do it deliberately)")
        }
        var settingsChecked = 0
        if !existing.isEmpty, adminFailure == nil {
            do {
                let configs = try admin.topicConfigs(existing.map(\.name), timeout: timeout)
                for topic in existing {
                    guard case .success(let settings)? = configs[topic.name] else {
                        output.line("unknown  \(topic.name)  settings not readable")
                        continue
                    }
                    settingsChecked += 1
                    for (setting, wanted) in topic.configs.sorted(by: { $0.key < $1.key }) {
                        guard let actual = settings[setting], actual != wanted else { continue }
                        problems += 1
                        output.line("drift    \(topic.name)  \(setting) is \(actual), the catalogue says \(wanted) (not changed)")
                    }
                }
            } catch {
                adminFailure = adminUnavailable(error, timeout: timeout)
            }
        }
        if let adminFailure, !existing.isEmpty, settingsChecked == 0 {
            output.error("note: cleanup.policy and retention.ms of the \(Format.count(existing.count, "existing topic")) were not checked: \(adminFailure)")
        }
        if problems == 0, missing.isEmpty {
            output.line("nothing to do: all \(Format.count(catalogue.topics.count, "catalogue topic")) exist with the catalogue's partition counts"
                + (settingsChecked == existing.count ? " and settings" : ""))
        } else {
            output.line("\(created) created, \(Format.count(problems, "problem")) left")
        }
        return problems == 0 ? .success : .failure
    }

    /// Why the admin API could not be used, in a sentence an operator can act on.
    private func adminUnavailable(_ error: any Error, timeout: Duration) -> String {
        let cause = (error as? KafkaError)?.message ?? "\(error)"
        return "the cluster did not answer the admin request within \(timeout) (\(cause)); "
            + "the embedded cluster of `bus dev` has no admin API: it creates every catalogue topic itself at start"
    }
}
