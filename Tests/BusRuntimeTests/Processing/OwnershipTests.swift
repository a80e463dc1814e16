import BusKafka
@testable import BusRuntime
import Testing

/// A stateful worker keeps one state per partition number: it refuses, at start and with the
/// reason, an assignor that could hand partition N of its inputs to two instances.
@Suite("Worker runtime: ownership")
struct OwnershipTests {
    @Test("assignors that can split co-partitioned inputs are refused at start", arguments: ["roundrobin", "cooperative-sticky", "range,roundrobin"])
    func refused(_ strategy: String) {
        var kafka = KafkaConfig(brokers: "127.0.0.1:1")
        kafka.set("partition.assignment.strategy", strategy)
        let worker = Worker(flow: EchoFlow(), kafka: kafka, groupID: "g", logger: Logger(worker: "echo", minimumLevel: .error, sink: LogSink { _ in }))
        do {
            try worker.run { true }
            Issue.record("started with \(strategy)")
        } catch let error as RuntimeError {
            #expect(error.code == .unsafeAssignment)
            #expect(error.message.contains("needs range"))
            #expect(error.context["property"] == "partition.assignment.strategy")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("range, set or by default, is accepted", arguments: [nil, "range"] as [String?])
    func accepted(_ strategy: String?) throws {
        var kafka = KafkaConfig(brokers: "127.0.0.1:1")
        if let strategy { kafka.set("partition.assignment.strategy", strategy) }
        try Worker<EchoFlow>.checkOwnership(flow: EchoFlow(), kafka: kafka)
    }
}
