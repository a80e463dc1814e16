import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import StockBroadcasterFlow
import Testing

/// stock-broadcaster on the embedded cluster, its inputs published by a plain producer.
@Suite("stock-broadcaster: end to end", .serialized)
struct StockBroadcasterEndToEndTests {
    /// Quantity mode: every movement changes what the site sees, the worst case for coalescing.
    static let rules = StockBroadcasterRules(warehouses: ["PAR", "LYO"], mode: .quantity, limitedThreshold: Quantity(5), safetyStock: Quantity(1))

    /// `count` movements spread over `skus` SKUs in three warehouses (one not counted), in
    /// measuring order, with random figures.
    static func burst(count: Int, skus: Int, seed: UInt64) -> [ERPStockLevel] {
        var random = SplitMix64(seed: seed)
        let warehouses = ["PAR", "LYO", "MRS"]
        return (0..<count).map { i in
            Stock.level("SKU-\(i % skus)", warehouses[Int(random.next() % 3)], onHand: String(random.next() % 60),
                        reserved: String(random.next() % 8), incoming: random.next() % 4 == 0 ? [("12", "2030-07-01")] : [],
                        at: i, backorders: i % skus % 10 == 0)
        }
    }

    /// What each SKU must end up showing: the rules applied to each warehouse's last figures.
    /// (Its `updated_at` may be older than the last movement: a movement that changes nothing
    /// the site sees is not published.)
    static func expectedFinal(_ levels: [ERPStockLevel]) throws -> [String: ShownAvailability] {
        var stocks: [String: SKUStock] = [:]
        for level in levels where rules.counts(level.warehouse) {
            var stock = stocks[level.sku.rawValue] ?? SKUStock()
            _ = try stock.record(level)
            stocks[level.sku.rawValue] = stock
        }
        return try stocks.mapValues { try rules.shown($0) }
    }

    /// What an availability record shows.
    static func shown(_ value: Data?) -> ShownAvailability? {
        guard let value, let message = try? Stock.codec.decode(Availability.self, from: value) else { return nil }
        return ShownAvailability(status: message.status, quantity: message.quantity, nextAvailableOn: message.nextAvailableOn,
                                 onOrder: message.onOrder ?? false)
    }

    @Test("a burst of 10,000 movements on 100 SKUs: the final availability of every SKU is right, with a few publications each, and every input committed")
    func burst() throws {
        let flow = StockBroadcaster(rules: Self.rules)
        let harness = try FlowHarness(flow: flow, topics: [Topics.shopAvailability])
        let levels = Self.burst(count: 10_000, skus: 100, seed: 7)
        let expected = try Self.expectedFinal(levels)
        try harness.publish(levels.enumerated().map { Stock.record($0.element, id: "move-\($0.offset)") })

        var options = FlowHarness<StockBroadcaster>.testOptions
        options.coalescingLinger = ProcessingOptions().coalescingLinger  // the production value
        let started = ContinuousClock.now
        let worker = harness.start(flow, options: options)
        var latest: [String: ShownAvailability] = [:]
        var seen = 0
        var firstSeen: ContinuousClock.Instant?
        var settled = ContinuousClock.now
        let records = try harness.read(Topics.shopAvailability, timeout: .seconds(45)) { records in
            for record in records[seen...] { if let key = record.keyString { latest[key] = Self.shown(record.value) } }
            if firstSeen == nil, !records.isEmpty { firstSeen = .now }
            seen = records.count
            settled = .now
            return latest == expected
        }
        let publishing = settled - (firstSeen ?? started)
        #expect(waitUntil(timeout: .seconds(20)) { (try? harness.committed()) == (try? harness.inputEnds()) },
                "every input is committed once the publication covering it is delivered")
        worker.stopCleanly()

        #expect(latest == expected, "the final availability of every SKU is the one its last figures give")
        let perSKU = Dictionary(grouping: records, by: { $0.keyString ?? "" }).mapValues(\.count)
        let most = perSKU.values.max() ?? 0
        #expect(perSKU.count == 100)
        #expect(records.allSatisfy { Stock.availability($0)?.validate().isEmpty == true })
        // 100 movements per SKU, two thirds in counted warehouses, nearly each changing the
        // quantity shown: without coalescing ~65 publications per SKU. Coalescing allows one per
        // linger (100 ms) while the burst lasts, plus the last one.
        let windows = Int(publishing / options.coalescingLinger) + 2
        #expect(most <= windows, "at most one publication per SKU per linger while the burst lasts")
        print("stock-broadcaster burst: 10000 movements, 100 SKUs, \(records.count) publications (max \(most) per SKU) over \(publishing)")
    }

    @Test("kill and restart: a crashed worker's successor ends with the same availability for every SKU")
    func killAndRestart() throws {
        let levels = Self.burst(count: 4_000, skus: 40, seed: 11)
        let expected = try Self.expectedFinal(levels)
        let outcome = try KillAndRestart.run(
            flow: StockBroadcaster(rules: Self.rules), topics: [], inputs: levels.enumerated().map { Stock.record($0.element, id: "move-\($0.offset)") },
            outputs: [Topics.shopAvailability], crashAfter: 1_500
        ) { outcome in
            expected.allSatisfy { sku, shown in Self.shown(outcome.finalValues["\(Topics.shopAvailability)|\(sku)"] ?? nil) == shown }
        }
        #expect(outcome.crashed.conflicting.isEmpty, "one id never carries two values")
        #expect(outcome.reference.finalValues == outcome.crashed.finalValues)
        #expect(outcome.crashed.finalValues.count == expected.count)
    }

    @Test("an article deleted in the ERP: its SKUs' entries leave the state (tombstones on bus.stock-broadcaster.state) and shop.availability, a later level brings one back")
    func deletedArticle() throws {
        let flow = StockBroadcaster(rules: Self.rules)
        let harness = try FlowHarness(flow: flow, topics: [Topics.shopAvailability])
        let worker = harness.start(flow)
        defer { worker.stopCleanly() }
        let skus = ["TEE-S", "TEE-M", "MUG", "BOOK"]
        try harness.publish(skus.enumerated().map { Stock.record(Stock.level($0.element, "PAR", onHand: "20", at: $0.offset), id: "level-\($0.element)") })
        _ = try harness.read(Topics.shopAvailability, timeout: .seconds(30)) { Set($0.compactMap(\.keyString)) == Set(skus) }

        // As article-publisher writes them: the model's entry, then the ERP's deletions.
        try harness.publish([
            Catalogue.record(Catalogue.entry("TEE", variants: ["TEE-S", "TEE-M"]), sku: "TEE", id: "entry-TEE"),
            Catalogue.record(Catalogue.unpublish("TEE"), sku: "TEE", id: "unpublish-TEE"),
            Catalogue.record(Catalogue.unpublish("MUG"), sku: "MUG", id: "unpublish-MUG"),
            Catalogue.record(Catalogue.unpublish("BOOK", .obsolete), sku: "BOOK", id: "unpublish-BOOK"),
        ])
        let deleted: Set<String> = ["TEE-S", "TEE-M", "MUG"]
        func latest(_ records: [ConsumedRecord]) -> [String: Data?] {
            var values: [String: Data?] = [:]
            for record in records { if let key = record.keyString { values[key] = record.value } }
            return values
        }
        let changelog = latest(try harness.read(flow.changelogTopic, timeout: .seconds(30)) { records in
            deleted.allSatisfy { latest(records)[$0] == .some(nil) }
        })
        #expect(Set(changelog.filter { $0.value == nil }.keys) == deleted, "exactly the deleted article's SKUs are tombstoned")
        #expect(changelog["BOOK"] != .some(nil), "an obsolete article keeps its stock entry")
        let availability = latest(try harness.read(Topics.shopAvailability, timeout: .seconds(30)) { records in
            deleted.allSatisfy { latest(records)[$0] == .some(nil) }
        })
        #expect(Set(availability.filter { $0.value == nil }.keys) == deleted, "the site's compacted availability forgets them too")

        try harness.publish([Stock.record(Stock.level("MUG", "PAR", onHand: "2", at: 100), id: "level-MUG-again")])
        // MUG's records: its first value, its tombstone, then the new value.
        func recreated(_ records: [ConsumedRecord]) -> Bool {
            let mug = records.filter { $0.keyString == "MUG" }
            return mug.count >= 3 && mug.last?.value != nil
        }
        let again = latest(try harness.read(flow.changelogTopic, timeout: .seconds(30), until: recreated))
        let value = try #require(again["MUG"] ?? nil, "a later stock level writes a new entry")
        #expect(try JSONDecoder().decode(SKUStock.self, from: value).warehouses.count == 1)
        #expect(Self.shown(latest(try harness.read(Topics.shopAvailability, timeout: .seconds(30), until: recreated))["MUG"] ?? nil)?.status == .limited)
    }
}
