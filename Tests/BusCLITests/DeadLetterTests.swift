import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// A flow that accepts every stock level and produces nothing: what it cannot read (a record
/// that is not JSON) the runtime dead-letters, with the runtime's own headers.
struct AcceptingStockFlow: Flow {
    var name = "stock-broadcaster"
    var inputs = [Topics.erpStock]

    func handle(_ input: FlowInput, state: inout FlowState<NoState>, tables: any TableLookup) throws -> [FlowOutput] { [] }
}

/// `bus dlq list|show|replay` on dead letters written by a real worker.
@Suite("bus dlq")
struct DeadLetterTests {
    /// A harness whose worker dead-lettered `poison.count` records, stopped again; returns the
    /// harness and the original records' coordinates, in the order sent.
    private func deadLetters(_ poison: [(key: String, value: String)]) async throws -> (FlowHarness<AcceptingStockFlow>, [DeliveryReport]) {
        let harness = try FlowHarness(flow: AcceptingStockFlow(), topics: [], partitions: 3)
        let worker = harness.start(AcceptingStockFlow())
        let reports = try await Clusters.send(harness.cluster, poison.map { item in
            ProducerRecord(topic: Topics.erpStock, key: item.key, value: Data(item.value.utf8), headers: [
                KafkaHeader(key: "ce_type", string: "erp.stock-level"), KafkaHeader(key: "x-trace", string: "t-\(item.key)"),
            ])
        })
        let topic = Topics.deadLetters(of: "stock-broadcaster")
        let arrived = try harness.read(topic, timeout: .seconds(60)) { $0.count >= poison.count }
        worker.stopCleanly()
        try #require(arrived.count == poison.count, "the worker dead-lettered \(arrived.count) of \(poison.count)")
        return (harness, reports)
    }

    @Test("a dead letter is listed, shown, and replayed exactly once")
    func listShowReplayOnce() async throws {
        let (harness, originals) = try await deadLetters([(key: "SKU-BAD", value: "{not json")])
        let brokers = harness.cluster.bootstrapServers
        let original = try #require(originals.first)
        let dlq = try #require(try harness.readAll(Topics.deadLetters(of: "stock-broadcaster")).first)
        let id = "\(dlq.partition)/\(dlq.offset)"
        let reference = "bus.dlq.stock-broadcaster/\(id)"

        let list = try Bus.run(["dlq", "list", "stock-broadcaster"], brokers: brokers)
        #expect(list.status == 0, "\(list)")
        let row = try #require(list.lines.first { $0.hasPrefix(id + " ") }, "\(list)")
        #expect(row.contains("erp.stock/\(original.partition)/\(original.offset)"), "\(row)")
        let reason = try #require(dlq.headers.string("bus_error_reason"))
        #expect(row.contains(String(reason.prefix(40))), "\(row)")
        #expect(row.contains(" no "), "not replayed yet: \(row)")
        #expect(list.stdout.contains("1 dead letter in bus.dlq.stock-broadcaster, 0 replayed"))

        let show = try Bus.run(["dlq", "show", "stock-broadcaster", "--id", id], brokers: brokers)
        #expect(show.status == 0, "\(show)")
        for expected in ["original     erp.stock/\(original.partition)/\(original.offset)", "worker       stock-broadcaster",
                         "key          SKU-BAD", "x-trace: t-SKU-BAD", "{not json", "replayed     no"] {
            #expect(show.stdout.contains(expected), "\(expected) not in \(show)")
        }

        let first = try Bus.run(["dlq", "replay", "stock-broadcaster", "--id", id], brokers: brokers)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("replayed \(reference) to erp.stock partition \(original.partition) offset"), "\(first)")
        let second = try Bus.run(["dlq", "replay", "stock-broadcaster", "--id", reference], brokers: brokers)
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.contains("already replayed"), "\(second)")
        let all = try Bus.run(["dlq", "replay", "stock-broadcaster", "--all"], brokers: brokers)
        #expect(all.stdout.contains("0 replayed, 1 already replayed before, 0 failed"), "\(all)")

        let onTopic = try harness.readAll(Topics.erpStock)
        let replays = onTopic.filter { $0.headers.string("bus_replayed_from") != nil }
        #expect(onTopic.count == 2, "the original and exactly one replay")
        let replay = try #require(replays.first)
        #expect(replays.count == 1)
        #expect(replay.headers.string("bus_replayed_from") == reference)
        #expect(replay.partition == original.partition, "replayed to the original partition")
        #expect(replay.keyString == "SKU-BAD")
        #expect(replay.value == Data("{not json".utf8))
        #expect(replay.headers.string("x-trace") == "t-SKU-BAD")
        #expect(replay.headers.string("ce_type") == "erp.stock-level")
        #expect(!replay.headers.contains { $0.key.hasPrefix("bus_") && $0.key != "bus_replayed_from" })

        let listed = try Bus.run(["dlq", "list", "stock-broadcaster"], brokers: brokers)
        #expect(listed.stdout.contains("1 dead letter in bus.dlq.stock-broadcaster, 1 replayed"), "\(listed)")
    }

    @Test("replay --all publishes each dead letter once, skips those replayed, and reports progress in a few lines")
    func replayAll() async throws {
        let poison = (1...4).map { (key: "SKU-\($0)", value: "oops \($0)") }
        let (harness, _) = try await deadLetters(poison)
        let brokers = harness.cluster.bootstrapServers
        let letters = try harness.readAll(Topics.deadLetters(of: "stock-broadcaster"))
        let one = try #require(letters.first)
        try #require(try Bus.run(["dlq", "replay", "stock-broadcaster", "--id", "\(one.partition)/\(one.offset)"], brokers: brokers).status == 0)

        let all = try Bus.run(["dlq", "replay", "stock-broadcaster", "--all"], brokers: brokers)
        #expect(all.status == 0, "\(all)")
        #expect(all.stdout.contains("4 dead letters in bus.dlq.stock-broadcaster: 3 replayed, 1 already replayed before, 0 failed"), "\(all)")
        // Not a terminal: progress lines at tenths only, ending at 4/4.
        let progress = all.stderr.split(separator: "\n").filter { $0.hasPrefix("replaying bus.dlq.stock-broadcaster") }
        #expect(!progress.isEmpty && progress.count <= 11, "\(all)")
        #expect(progress.last?.contains("4/4 (100%)") == true, "\(all)")
        #expect(!all.stderr.contains("\r"))

        let again = try Bus.run(["dlq", "replay", "stock-broadcaster", "--all"], brokers: brokers)
        #expect(again.stdout.contains("0 replayed, 4 already replayed before"), "\(again)")
        let replays = try harness.readAll(Topics.erpStock).compactMap { $0.headers.string("bus_replayed_from") }
        #expect(replays.count == 4)
        #expect(Set(replays).count == 4, "each dead letter replayed exactly once")
    }

    @Test("a wrong_partition dead letter is replayed where its key belongs (murmur2), once")
    func replayWrongPartition() async throws {
        let harness = try FlowHarness(flow: AcceptingStockFlow(), topics: [], partitions: 3)
        let worker = harness.start(AcceptingStockFlow())
        let key = "TSHIRT-BLU-M"
        let home = Murmur2Partitioner.partition(of: key, partitions: 3)
        let stray = (home + 1) % 3
        // As a CRC32 producer would: the record sits in another partition than its key's.
        let sent = try await Clusters.send(harness.cluster, [ProducerRecord(topic: Topics.erpStock, partition: stray, key: key, value: Data("{}".utf8))])
        let letters = try harness.read(Topics.deadLetters(of: "stock-broadcaster"), timeout: .seconds(60)) { !$0.isEmpty }
        worker.stopCleanly()
        let letter = try #require(letters.first)
        #expect(letter.headers.string("bus_error_code") == "wrong_partition")
        #expect(letter.headers.string("bus_expected_partition") == String(home))
        #expect(letter.headers.string("bus_original_partition") == String(sent[0].partition))

        let brokers = harness.cluster.bootstrapServers
        let id = "\(letter.partition)/\(letter.offset)"
        let first = try Bus.run(["dlq", "replay", "stock-broadcaster", "--id", id], brokers: brokers)
        #expect(first.stdout.contains("to erp.stock partition \(home) offset"), "\(first)")
        let second = try Bus.run(["dlq", "replay", "stock-broadcaster", "--id", id], brokers: brokers)
        #expect(second.stdout.contains("already replayed as erp.stock/\(home)/"), "the check reads the partition the replay went to: \(second)")
        let replays = try harness.readAll(Topics.erpStock).filter { $0.headers.string("bus_replayed_from") != nil }
        #expect(replays.map(\.partition) == [home], "exactly one replay, in the key's partition")
    }

    @Test("an unknown worker is a usage error; an unknown id fails")
    func unknownWorkerOrID() throws {
        let cluster = try Clusters.withCatalogue()
        let unknown = try Bus.run(["dlq", "list", "nobody"], brokers: cluster.bootstrapServers)
        #expect(unknown.status == 2, "\(unknown)")
        #expect(unknown.stderr.contains("unknown worker 'nobody'"))
        let missing = try Bus.run(["dlq", "show", "order-ingest", "--id", "0/7"], brokers: cluster.bootstrapServers)
        #expect(missing.status == 1, "\(missing)")
        let empty = try Bus.run(["dlq", "list", "order-ingest"], brokers: cluster.bootstrapServers)
        #expect(empty.status == 0)
        #expect(empty.stdout.contains("no dead letters in bus.dlq.order-ingest"))
    }
}
