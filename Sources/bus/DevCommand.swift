import BusKafka
import BusRuntime
import BusSchema
import Foundation

/// `bus dev`: an embedded Kafka cluster with every catalogue topic, at a fixed local address.
struct DevCommand: BusCommand {
    let name = "dev"
    let summary = "run an embedded Kafka cluster with every catalogue topic at localhost:9092"
    let usage = """
    usage: bus dev [--port PORT] [--brokers N]
      --port PORT   where clients bootstrap: localhost:PORT (default 9092; 0 picks a free port)
      --brokers N   how many brokers (default 1)
    \(CatalogueFile.usage)
    The cluster is librdkafka's mock cluster, in this process and in memory: every catalogue topic with its
    partition count; no admin API, no compaction, no topic settings; at most 5 MiB per partition. Any Kafka
    client on this machine can use it (kcat -b localhost:9092 -L). Stops on Ctrl-C or SIGTERM.
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: ["port", "brokers", CatalogueFile.flag])
        _ = try parsed.positionals([], required: 0)
        var port = 9092
        if let text = parsed.options["port"] {
            guard let number = Int(text), (0...65_535).contains(number) else { throw UsageError(message: "--port must be 0-65535") }
            port = number
        }
        let brokers = try parsed.positiveInteger("brokers") ?? 1
        return try attempt(output) {
            let catalogue = try CatalogueFile.load(parsed)
            let shutdown = ShutdownRequest()
            let signals = try ShutdownSignals.install(requesting: shutdown)
            defer { signals.uninstall() }
            let cluster = try EmbeddedCluster(brokers: brokers)
            for topic in catalogue.topics {
                try cluster.createTopic(topic.name, partitions: topic.partitions, replicationFactor: min(topic.replication, brokers))
            }
            let addresses = cluster.bootstrapServers.split(separator: ",").map(String.init)
            guard let first = addresses.first, let colon = first.lastIndex(of: ":"),
                  let targetPort = Int(first[first.index(after: colon)...]) else {
                throw CommandFailure("the embedded cluster gave no usable address (\(cluster.bootstrapServers))")
            }
            let bridge = try PortBridge(port: port, target: (String(first[..<colon]), targetPort))
            bridge.start()

            output.line("bus dev: embedded Kafka cluster (librdkafka mock), \(Format.count(brokers, "broker")), in memory")
            output.line("  bootstrap  localhost:\(bridge.port), forwarded to \(first)")
            output.line("  brokers    \(addresses.joined(separator: ", ")) (clients reach them directly once bootstrapped: this machine only)")
            output.line("  missing    admin API, compaction, topic settings, persistence; at most 5 MiB per partition")
            output.line("  topics     \(catalogue.topics.count) from the catalogue")
            var table = Table("TOPIC", "PARTITIONS", "CLEANUP")
            for topic in catalogue.topics { table.add(topic.name, String(topic.partitions), topic.cleanup.rawValue) }
            table.print(to: output, indent: 4)
            output.line("ready: KAFKA_BROKERS=localhost:\(bridge.port) (Ctrl-C to stop)")

            while shutdown.wait(timeout: .seconds(3600)) == nil {}
            bridge.stop()
            withExtendedLifetime(cluster) {}
            output.line("bus dev: stopped (\(shutdown.reason?.description ?? "requested"))")
            return .success
        }
    }
}
