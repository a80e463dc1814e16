import BusKafka
import BusSchema
import Foundation
import Testing

/// `bus publish` and `bus tail` on an embedded cluster.
@Suite("bus publish and tail")
struct PublishTailTests {
    @Test("bus publish puts each key where Kafka's Java partitioner does, with KAFKA_OPTS and service links set and ignored")
    func publishPartitionsAsJava() throws {
        let cluster = try Clusters.withCatalogue()
        // Issue 11's keys: librdkafka's default put them in 3, 5, 1, 0, 2, 5; Java in 2, 4, 4, 2, 3, 0.
        for (key, partition) in [("TSHIRT-BLU-M", 2), ("A", 4), ("B", 4), ("SKU-1", 2), ("SKU-22", 3), ("ORDER-9", 0)] {
            let result = try Bus.run(["publish", "erp.stock", try Clusters.example("erp.stock-level.v1.json"), "--key", key],
                                     brokers: cluster.bootstrapServers,
                                     environment: ["KAFKA_OPTS": "-Xmx1g", "KAFKA_HEAP_OPTS": "-Xms1g", "KAFKA_PORT": "tcp://10.0.0.1:9092"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("to erp.stock partition \(partition) offset"), "\(key): \(result)")
            #expect(result.stderr.components(separatedBy: "note: ignoring KAFKA_HEAP_OPTS, KAFKA_OPTS, KAFKA_PORT").count == 2, "one note: \(result.stderr)")
            #expect(!result.stderr.contains("Xmx1g") && !result.stderr.contains("10.0.0.1"))
        }
    }

    @Test("a valid example is published with CloudEvents binary headers and a fresh id; partition and offset printed")
    func publishValid() throws {
        let cluster = try Clusters.withCatalogue()
        let result = try Bus.run(["publish", "shop.orders", try Clusters.example("shop.order.v1.json"), "--key", "WEB-100234"],
                                 brokers: cluster.bootstrapServers)
        #expect(result.status == 0, "\(result)")
        let records = try Clusters.readAll(cluster, "shop.orders")
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(result.stdout.contains("published shop.order v1 to shop.orders partition \(record.partition) offset \(record.offset)"), "\(result)")
        #expect(record.keyString == "WEB-100234")
        let headers = record.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
        let envelope = try Envelope(headers: headers)
        #expect(envelope.type == "shop.order")
        #expect(envelope.dataSchema == "urn:commerce-bus:schema:shop.order.v1")
        #expect(UUID(uuidString: envelope.id) != nil)
        #expect(result.stdout.contains(envelope.id))
        _ = try MessageRegistry.standard.decode(envelope, payload: try #require(record.value))

        // A second publish of the same file is a new event: a new id.
        let again = try Bus.run(["publish", "shop.orders", try Clusters.example("shop.order.v1.json"), "--key", "WEB-100234"],
                                brokers: cluster.bootstrapServers)
        #expect(again.status == 0)
        let ids = Set(try Clusters.readAll(cluster, "shop.orders").compactMap { $0.headers.string("ce_id") })
        #expect(ids.count == 2)
    }

    @Test("an invalid example is refused with every problem listed, exit 1, and nothing published")
    func publishInvalid() throws {
        let cluster = try Clusters.withCatalogue()
        let path = try Clusters.example("shop.order.v1.json") { order in
            order["currency"] = nil
            var lines = order["lines"] as? [[String: Any]] ?? []
            lines[0]["quantity"] = "-2"
            order["lines"] = lines
            order["colour"] = "blue"
        }
        let result = try Bus.run(["publish", "shop.orders", path, "--key", "WEB-100234"], brokers: cluster.bootstrapServers)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("not published"), "\(result)")
        for problem in ["$.currency: missing", "$.colour: unknown field"] {
            #expect(result.stderr.contains(problem), "\(problem) not in \(result)")
        }
        #expect(try Clusters.readAll(cluster, "shop.orders").isEmpty)

        // The wrong topic for the type is refused too, before any broker is asked.
        let misplaced = try Bus.run(["publish", "erp.stock", try Clusters.example("shop.order.v1.json"), "--key", "X"],
                                    brokers: cluster.bootstrapServers)
        #expect(misplaced.status == 1)
        #expect(misplaced.stderr.contains("erp.stock does not carry shop.order"), "\(misplaced)")
    }

    @Test("a card number is refused and never echoed")
    func publishCardNumber() throws {
        let cluster = try Clusters.withCatalogue()
        let path = try Clusters.example("shop.payment.v1.json") { payment in payment["provider_reference"] = "4111 1111 1111 1111" }
        let result = try Bus.run(["publish", "shop.payments", path, "--key", "WEB-1"], brokers: cluster.bootstrapServers)
        #expect(result.status == 1, "\(result)")
        #expect(!result.stderr.contains("4111 1111") && !result.stdout.contains("4111 1111"))
    }

    @Test("a message from standard input, its type from --type")
    func publishFromStandardInput() throws {
        let cluster = try Clusters.withCatalogue()
        let data = try Data(contentsOf: Bus.examples.appendingPathComponent("erp.stock-level.v1.json"))
        let result = try Bus.run(["publish", "erp.stock", "-", "--key", "TSHIRT-BLU-M", "--type", "erp.stock-level"],
                                 brokers: cluster.bootstrapServers, input: data)
        #expect(result.status == 0, "\(result)")
        #expect(try Clusters.readAll(cluster, "erp.stock").count == 1)
    }

    @Test("tail filters by key and by type, prints JSON lines, stops at --max or at the end")
    func tailWithFilters() throws {
        let cluster = try Clusters.withCatalogue()
        let brokers = cluster.bootstrapServers
        for (file, key) in [("shop.order.v1.json", "WEB-1"), ("shop.order-change.v1.json", "WEB-1"),
                            ("shop.order.v1.json", "WEB-2"), ("shop.order-cancellation.v1.json", "WEB-2")] {
            let result = try Bus.run(["publish", "shop.orders", try Clusters.example(file), "--key", key], brokers: brokers)
            try #require(result.status == 0, "\(result)")
        }
        let byKey = try Bus.run(["tail", "shop.orders", "--from-beginning", "--until-end", "--key", "WEB-2"], brokers: brokers)
        #expect(byKey.status == 0, "\(byKey)")
        let summaries = byKey.lines.filter { $0.hasPrefix("shop.orders/") }
        #expect(summaries.count == 2, "\(byKey)")
        #expect(summaries.allSatisfy { $0.contains("key=WEB-2") })

        let byType = try Bus.run(["tail", "shop.orders", "--from-beginning", "--until-end", "--type", "shop.order"], brokers: brokers)
        let typed = byType.lines.filter { $0.hasPrefix("shop.orders/") }
        #expect(typed.count == 2, "\(byType)")
        #expect(typed.allSatisfy { $0.contains("  shop.order  ") })

        let json = try Bus.run(["tail", "shop.orders", "--from-beginning", "--json", "--type", "shop.order-change", "--max", "1"], brokers: brokers)
        #expect(json.status == 0, "\(json)")
        #expect(json.lines.count == 1, "\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.lines[0].utf8)) as? [String: Any])
        #expect(object["key"] as? String == "WEB-1")
        #expect((object["headers"] as? [String: Any])?["ce_type"] as? String == "shop.order-change")
        #expect(object["value"] is [String: Any])
    }

    @Test("tail follows new records from the end and stops cleanly on SIGTERM")
    func tailFollows() throws {
        let cluster = try Clusters.withCatalogue()
        let tail = try Bus.start(["tail", "erp.stock", "--key", "SKU-2"], brokers: cluster.bootstrapServers)
        let publish = { (key: String) throws in
            let result = try Bus.run(["publish", "erp.stock", try Clusters.example("erp.stock-level.v1.json"), "--key", key],
                                     brokers: cluster.bootstrapServers)
            try #require(result.status == 0, "\(result)")
        }
        // Reading from the end starts wherever the end is when tail has looked it up: publish
        // until a record of SKU-2 shows, with one of SKU-1 (filtered out) before each.
        var seen = false
        for _ in 0..<5 where !seen {
            try publish("SKU-1")
            try publish("SKU-2")
            seen = tail.waitForOutput("key=SKU-2", timeout: .seconds(3))
        }
        #expect(seen, "\(tail.stdout)\(tail.stderr)")
        tail.signal()
        let result = tail.wait(timeout: .seconds(10))
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains("key=SKU-1"))
    }
}

extension PublishTailTests {
    @Test("publishing to a catalogue topic the cluster lacks fails instead of creating it")
    func publishToMissingTopic() throws {
        let cluster = try Clusters.withCatalogue(leaving: ["erp.stock"])
        let result = try Bus.run(["publish", "erp.stock", try Clusters.example("erp.stock-level.v1.json"), "--key", "SKU-1"],
                                 brokers: cluster.bootstrapServers)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("topic erp.stock does not exist"), "\(result)")
        let topics = try KafkaConsumer(config: cluster.clientConfig()).topics().map(\.name)
        #expect(!topics.contains("erp.stock"), "not auto-created")
    }
}
