import BusKafka
import Foundation
import Testing

@Suite("Producer under faults on the embedded cluster")
struct FaultTests {
    /// Values of every record in `topic`, checking that per-key order follows send order.
    private func readBack(_ cluster: EmbeddedCluster, topic: String, partitions: Int, expected: Int) throws -> [Int] {
        let records = try Support.readAll(cluster, topic: topic, partitions: partitions, expected: expected)
        var lastByKey: [Data: Int] = [:]
        var values: [Int] = []
        for record in records {
            let value = Int(String(decoding: record.value ?? Data(), as: UTF8.self)) ?? -1
            if let key = record.key {
                #expect(value > lastByKey[key, default: -1], "per-key order kept")
                lastByKey[key] = value
            }
            values.append(value)
        }
        return values
    }

    @Test("injected transient produce errors are retried: no loss, no duplicate", arguments: [
        [KafkaErrorCode.notLeaderForPartition, .notLeaderForPartition, .leaderNotAvailable],
        [KafkaErrorCode.requestTimedOut, .notEnoughReplicas, .requestTimedOut],
    ])
    func transientErrors(_ errors: [KafkaErrorCode]) throws {
        let cluster = try Support.cluster(brokers: 3, topics: ["faults": 6])
        let producer = try KafkaProducer(config: cluster.clientConfig())
        let records = (0..<5000).map { ProducerRecord(topic: "faults", key: "k\($0 % 50)", value: Data("\($0)".utf8)) }
        // Errors are injected after the first records went through, mid-stream.
        var results = Support.enqueueAll(producer, Array(records.prefix(500)))
        cluster.injectErrors(Array(repeating: errors, count: 10).flatMap { $0 }, on: .produce)
        results += Support.enqueueAll(producer, Array(records.dropFirst(500)))
        #expect(results.count == 5000)
        #expect(results.allSatisfy { $0.isSuccess }, "every record delivered")
        #expect(producer.fatalError == nil)
        producer.close()

        let values = try readBack(cluster, topic: "faults", partitions: 6, expected: 5000)
        #expect(values.count == 5000, "no duplicate in the log")
        #expect(Set(values) == Set(0..<5000), "no loss")
    }

    /// Proves the injection reaches the producer, so the test above is not vacuous.
    /// Leadership errors (NOT_LEADER_FOR_PARTITION, LEADER_NOT_AVAILABLE) cannot serve as a
    /// control: librdkafka refreshes metadata and retries them whatever `retries` says.
    @Test("control: the same injection fails records when the producer may not retry", arguments: [
        KafkaErrorCode.requestTimedOut, .notEnoughReplicas,
    ])
    func injectionIsReal(_ code: KafkaErrorCode) throws {
        let cluster = try Support.cluster(topics: ["control": 1])
        var config = cluster.clientConfig()
        config.set("enable.idempotence", "false")
        config.set("retries", "0")
        let producer = try KafkaProducer(config: config)
        #expect(Support.enqueueAll(producer, [ProducerRecord(topic: "control", key: "k", value: Data("0".utf8))]).allSatisfy { $0.isSuccess })
        cluster.injectErrors(Array(repeating: code, count: 5), on: .produce)
        let results = Support.enqueueAll(producer, [ProducerRecord(topic: "control", key: "k", value: Data("1".utf8))])
        #expect(results.count == 1 && !results[0].isSuccess, "the injected error reaches the producer")
        producer.close()
    }

    @Test("a broker down for a few seconds then up: everything sent meanwhile is delivered")
    func brokerDownThenUp() async throws {
        let cluster = try Support.cluster(brokers: 3, topics: ["outage": 6])
        // Delivery waits for the broker however long it takes (as workers configure it), so a
        // slow, loaded machine cannot turn the outage into timed-out records.
        var config = cluster.clientConfig()
        config.set("message.timeout.ms", "0")
        let producer = try KafkaProducer(config: config)
        let before = (0..<1000).map { ProducerRecord(topic: "outage", key: "k\($0 % 60)", value: Data("\($0)".utf8)) }
        #expect(Support.enqueueAll(producer, before).allSatisfy { $0.isSuccess })

        cluster.setBrokerDown(1)
        let collector = ResultCollector(count: 2000)
        for i in 1000..<3000 {
            producer.enqueue(ProducerRecord(topic: "outage", key: "k\(i % 60)", value: Data("\(i)".utf8))) {
                collector.set(i - 1000, $0)
            }
        }
        try await Task.sleep(for: .seconds(3))
        cluster.setBrokerUp(1)
        collector.wait(timeout: .seconds(300))
        #expect(collector.all.count == 2000)
        let failures = collector.all.compactMap { result -> String? in
            if case .failure(let error) = result { return error.description }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.count) failed, first: \(failures.first ?? "")")
        producer.close()

        let values = try readBack(cluster, topic: "outage", partitions: 6, expected: 3000)
        let missing = Set(0..<3000).subtracting(values)
        #expect(missing.isEmpty && values.count == 3000, "\(missing.count) missing, \(values.count - Set(values).count) duplicated")
    }

    @Test("a record too large gets its own delivery error; the records around it are delivered")
    func tooLarge() async throws {
        let cluster = try Support.cluster(topics: ["large": 1])
        let producer = try KafkaProducer(config: cluster.clientConfig())
        let big = Data(repeating: 0x61, count: 2_000_000)
        let records = [
            ProducerRecord(topic: "large", key: "k", value: Data("before".utf8)),
            ProducerRecord(topic: "large", key: "k", value: big),
            ProducerRecord(topic: "large", key: "k", value: Data("after".utf8)),
        ]
        let results = await Support.sendAll(producer, records)
        #expect(results[0].isSuccess && results[2].isSuccess)
        guard case .failure(let error) = results[1] else {
            Issue.record("the oversized record was accepted")
            return
        }
        #expect(error.errorCode == .messageTooLarge)
        #expect(!error.isRetriable && !error.isFatal)
        #expect(producer.fatalError == nil)
        producer.close()
    }

    @Test("a broker refusing a record as too large: a per-record delivery error, not a crash")
    func brokerRefusesTooLarge() async throws {
        let cluster = try Support.cluster(topics: ["refused": 1])
        // Without idempotence: a permanent broker error on an idempotent batch would fence the
        // producer's sequence, which is the fatal path tested elsewhere.
        var config = cluster.clientConfig()
        config.set("enable.idempotence", "false")
        config.set("retries", "0")
        let producer = try KafkaProducer(config: config)
        _ = try await producer.send(ProducerRecord(topic: "refused", key: "k", value: Data("warm-up".utf8)))
        cluster.injectErrors([.messageTooLarge], on: .produce)
        await #expect(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: "refused", key: "k", value: Data("refused".utf8)))
        }
        let next = try await producer.send(ProducerRecord(topic: "refused", key: "k", value: Data("next".utf8)))
        #expect(next.offset == 1)
        producer.close()
    }

    @Test("closing with records that cannot be delivered fails each one, none is left waiting")
    func closeFailsOutstanding() throws {
        let cluster = try Support.cluster(topics: ["stuck": 1])
        let producer = try KafkaProducer(config: cluster.clientConfig())
        cluster.setBrokerDown(1)
        let collector = ResultCollector(count: 100)
        for i in 0..<100 {
            producer.enqueue(ProducerRecord(topic: "stuck", key: "k", value: Data("\(i)".utf8))) { collector.set(i, $0) }
        }
        producer.close(timeout: .milliseconds(300))
        collector.wait(timeout: .seconds(5))
        #expect(collector.all.count == 100)
        #expect(collector.all.allSatisfy { !$0.isSuccess })
        // After close, enqueue completes at once with a clear error.
        let after = ResultCollector(count: 1)
        producer.enqueue(ProducerRecord(topic: "stuck", key: "k", value: nil)) { after.set(0, $0) }
        after.wait(timeout: .seconds(1))
        #expect(after.all.count == 1 && !after.all[0].isSuccess)
    }
}
