import ArticlePublisherFlow
import BusKafka
import BusSchema
import BusTestKit
import Foundation
import Testing

/// An ERP adapter publishing with kcat (another client, another process): the committed v1
/// and v2 examples reach the site as the ERP set them, and a v2 article giving both prices is
/// dead-lettered with the reason naming both fields, the flow going on.
@Suite("article-publisher: erp.article v1 and v2 from an outside client")
struct ArticleVersionsEndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func kcat(_ brokers: String, key: String, version: Int, file: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
        process.arguments = ["-P", "-b", brokers, "-t", Topics.erpArticles, "-k", key, "-X", "partitioner=murmur2_random",
                             "-H", "ce_specversion=1.0", "-H", "ce_id=\(UUID().uuidString)", "-H", "ce_source=erp/kcat",
                             "-H", "ce_type=erp.article", "-H", "ce_time=2024-05-02T14:00:00Z", "-H", "content-type=application/json",
                             "-H", "ce_dataschema=urn:commerce-bus:schema:erp.article.v\(version)", file]
        process.currentDirectoryURL = repository
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("v1 (net price) and v2 (price incl. tax) examples published by kcat; both prices given is dead-lettered naming both fields")
    func versionsThroughTheWorker() throws {
        let flow = ArticlePublisherFlow()
        let harness = try FlowHarness(flow: flow, topics: [Topics.shopCatalog], partitions: 3)
        let brokers = harness.cluster.bootstrapServers
        // A v2 article with both base prices: which one the site shows would be a guess.
        var both = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.repository.appendingPathComponent("topics/examples/erp.article.v2.json"))) as? [String: Any] ?? [:]
        both["base_price_excl_tax"] = ["amount": 1666, "currency": "EUR"]
        both["sku"] = "TSHIRT-BOTH"
        both["variants"] = []
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("both-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: both).write(to: bad)
        defer { try? FileManager.default.removeItem(at: bad) }

        #expect(try Self.kcat(brokers, key: "TSHIRT-BLU", version: 1, file: "topics/examples/erp.article.v1.json") == 0)
        #expect(try Self.kcat(brokers, key: "TSHIRT-BOTH", version: 2, file: bad.path) == 0)
        #expect(try Self.kcat(brokers, key: "TSHIRT-BLU", version: 2, file: "topics/examples/erp.article.v2.json") == 0)
        // A version-1 article under another SKU's key: its key is checked like version 2's.
        #expect(try Self.kcat(brokers, key: "OTHER-SKU", version: 1, file: "topics/examples/erp.article.v1.json") == 0)
        let worker = harness.start(flow)

        let records = try harness.read(Topics.shopCatalog, timeout: .seconds(60)) { $0.count >= 2 }
        let entries = records.compactMap { record in record.value.flatMap { try? MessageCodec().decode(CatalogEntry.self, from: $0) } }
        #expect(entries.map(\.sku.rawValue) == ["TSHIRT-BLU", "TSHIRT-BLU"])
        // v1: the ERP set 16.58 € excluding tax; the bus derived 19.90 € including it.
        let v1 = try #require(entries.first), v2 = try #require(entries.last)
        #expect(v1.priceExclTax.amount == 1658 && v1.priceInclTax.amount == 1990 && v1.derived == .inclTax)
        // v2: the ERP set 19.99 € including tax; the site shows exactly it, the net is derived.
        #expect(v2.priceExclTax.amount == 1666 && v2.priceInclTax.amount == 1999 && v2.derived == .exclTax)
        #expect(v2.priceLists.map(\.derived) == [.inclTax, .exclTax], "a B2B row set net, a public promotion set incl. tax")
        #expect(v2.priceLists.last?.priceInclTax.amount == 1799)

        var dead: [ConsumedRecord] = []
        _ = waitUntil(timeout: .seconds(20)) { dead = (try? harness.readAll(flow.deadLetterTopic)) ?? []; return dead.count >= 2 }
        #expect(dead.count == 2)
        #expect(Set(dead.compactMap { $0.headers.string("bus_error_field") }) == ["$.base_price_incl_tax", "$.sku"])
        let twoPrices = dead.first { $0.headers.string("bus_error_field") == "$.base_price_incl_tax" }
        let reason = twoPrices?.headers.string("bus_error_reason") ?? ""
        #expect(reason.contains("exactly one of base_price_excl_tax and base_price_incl_tax"), "\(reason)")
        worker.stopCleanly()
        #expect(worker.failure == nil)
    }
}
