import BusKafka
import BusRuntime
import BusSchema
import Foundation

/// A worker executable (one or more instances, one group) draining a burst of its flow's
/// inputs on a cluster of its own, as in production: tables published first, the workers
/// started and ready, then every input published at once.
///
/// Done is every input partition committed to its end; the drain's end is the last record
/// the workers wrote (outputs, dead letters, changelog), so the commit interval does not
/// count. End-to-end latency is each input's publication to the first output it caused
/// (broker timestamps, `ce_causationid`), as `bus demo` reports it.
struct WorkerRun {
    struct Figures {
        var seconds: Double
        var latency: LatencyStats
        /// CPU seconds of every instance while draining.
        var cpuSeconds: Double
        /// The highest resident memory of any instance, and its memory once ready before the inputs.
        var peakResidentBytes: Int
        var idleResidentBytes: Int
    }

    let flow: BenchFlow
    let inputs: BenchInputs
    let executables: URL?
    let workDirectory: URL

    func measure(threads: Int, instances: Int) throws -> Figures {
        let connection = try DemoClusterConnection(.embedded(brokers: 1), topics: inputs.topics)
        try BenchPublishing.publish(BenchInputs.producerRecords(inputs.inputs(of: flow.tables, notWrittenBy: flow.name)),
                                    config: connection.config(clientID: "bench-tables"))
        var options = DemoOptions()
        options.executables = executables
        options.workerEnvironment = [WorkerConfig.workerThreadsVariable: String(threads), WorkerConfig.logLevelVariable: "error"]
        let launcher = try ProcessLauncher(cluster: connection, options: options, logDirectory: workDirectory)
        let workers = try (1...instances).map { try launcher.start(flow.name, label: instances == 1 ? nil : "\(flow.name)#\($0)") }
        defer {
            for worker in workers { worker.requestStop() }
            for worker in workers { worker.waitUntilStopped() }
        }
        let readyBy = ContinuousClock.now + .seconds(90)
        while workers.contains(where: { !$0.isReady }) {
            if let failure = workers.lazy.compactMap(\.failure).first { throw DemoError("\(flow.name) stopped: \(failure)") }
            guard ContinuousClock.now < readyBy else { throw DemoError(workers.compactMap(\.notReadyReason).joined(separator: "; ")) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let pids = workers.compactMap(\.processID)
        let idle = pids.compactMap(ProcessSample.read).map(\.residentBytes).max() ?? 0
        let cpuBefore = pids.compactMap(ProcessSample.read).map(\.cpuSeconds).reduce(0, +)

        let records = BenchInputs.producerRecords(inputs.inputs(of: flow.inputs, notWrittenBy: flow.name))
        let started = Date()
        try BenchPublishing.publish(records, config: connection.config(clientID: "bench-inputs"))
        let ends = try inputEnds(connection)
        let watcher = try KafkaConsumer(config: connection.config(clientID: "bench-commit-watch", groupID: flow.name))
        defer { watcher.close() }
        var cpuAfter = cpuBefore
        var peak = idle
        let deadline = ContinuousClock.now + .seconds(300)
        // Nothing is read of what the workers write while they drain: the journal decodes every
        // record it reads (as much work per record as a worker), and on a 2-core machine that
        // took a core's share from the workers, a cost the passthrough's run never paid. The
        // figures come from the records' broker timestamps, read once the drain is over.
        while true {
            Thread.sleep(forTimeInterval: 0.02)
            let samples = pids.compactMap(ProcessSample.read)
            peak = max(peak, samples.map(\.peakResidentBytes).max() ?? 0)
            if let failure = workers.lazy.compactMap(\.failure).first { throw DemoError("\(flow.name) stopped: \(failure)") }
            let committed = (try? watcher.committed(Array(ends.keys), timeout: .seconds(2))) ?? [:]
            if ends.allSatisfy({ committed[$0.key] ?? 0 >= $0.value }) {
                cpuAfter = samples.map(\.cpuSeconds).reduce(0, +)
                break
            }
            guard ContinuousClock.now < deadline else { throw DemoError("\(flow.name) did not commit every input within 300 s") }
        }
        // What is written after the last commit (a held output, its changelog record) counts too.
        Thread.sleep(forTimeInterval: 0.3)
        let journal = try BusJournal(config: connection.config(clientID: "bench-journal"), topics: inputs.topics, fromEnd: false)
        defer { journal.close() }
        try readToEnd(journal, connection)
        let source = "bus/\(flow.name)"
        let written = journal.records.filter { $0.source == source || $0.topic == flow.changelogTopic }.compactMap(\.timestamp)
        let finished = written.max() ?? Date()
        let latency = EndToEndLatency.measure(journal, flows: [(flow.name, flow.inputs)])[flow.name] ?? LatencyStats()
        return Figures(seconds: max(finished.timeIntervalSince(started), 1e-6), latency: latency, cpuSeconds: cpuAfter - cpuBefore,
                       peakResidentBytes: peak, idleResidentBytes: idle)
    }

    /// Reads `journal` until it holds every record stored now on the topics it reads.
    private func readToEnd(_ journal: BusJournal, _ connection: DemoClusterConnection) throws {
        let consumer = try KafkaConsumer(config: connection.config(clientID: "bench-journal-ends"))
        defer { consumer.close() }
        var ends: [TopicPartition: Int64] = [:]
        for partition in journal.startOffsets.keys {
            let high = try consumer.watermarks(partition).high
            if high > 0 { ends[partition] = high }
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while !ends.allSatisfy({ journal.nextOffsets[$0.key] ?? 0 >= $0.value }) {
            guard ContinuousClock.now < deadline else { throw DemoError("the bench's journal did not read every record within 120 s") }
            _ = journal.poll(timeout: .milliseconds(20), limit: 5_000)
        }
    }

    /// The end of every non-empty partition of the flow's inputs.
    private func inputEnds(_ connection: DemoClusterConnection) throws -> [TopicPartition: Int64] {
        let consumer = try KafkaConsumer(config: connection.config(clientID: "bench-ends"))
        defer { consumer.close() }
        var ends: [TopicPartition: Int64] = [:]
        for topic in inputs.topics where flow.inputs.contains(topic.name) {
            for number in 0..<topic.partitions {
                let partition = TopicPartition(topic: topic.name, partition: Int32(number))
                let high = try consumer.watermarks(partition).high
                if high > 0 { ends[partition] = high }
            }
        }
        return ends
    }
}
