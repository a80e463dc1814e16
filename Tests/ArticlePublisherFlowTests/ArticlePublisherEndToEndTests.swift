import ArticlePublisherFlow
import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// article-publisher on the embedded cluster, fed by a plain producer as the ERP would.
@Suite("article-publisher: end to end", .serialized)
struct ArticlePublisherEndToEndTests {
    static let codec = MessageCodec()

    static func sku(_ n: Int) -> String { String(format: "ART-%04d", n) }

    /// The n-th article of the catalogue: prices and VAT rates vary so the outputs do too.
    static func article(_ n: Int, change: (inout ERPArticle) -> Void = { _ in }) -> ERPArticle {
        Fixture.article(sku(n)) {
            $0.basePriceExclTax = Fixture.eur(Int64(100 + n))
            $0.vatRate = Rate(["20.0", "5.5", "2.1", "0"][n % 4])!
            change(&$0)
        }
    }

    /// The catalog messages of `records`, by type.
    static func decode(_ records: [ConsumedRecord]) -> (entries: [CatalogEntry], unpublished: [CatalogUnpublish]) {
        var entries: [CatalogEntry] = []
        var unpublished: [CatalogUnpublish] = []
        for record in records {
            guard let value = record.value else { continue }
            switch record.headers.string("ce_type") {
            case CatalogEntry.messageType: if let entry = try? codec.decode(CatalogEntry.self, from: value) { entries.append(entry) }
            case CatalogUnpublish.messageType: if let gone = try? codec.decode(CatalogUnpublish.self, from: value) { unpublished.append(gone) }
            default: Issue.record("unexpected type on shop.catalog")
            }
        }
        return (entries, unpublished)
    }

    @Test("1,000 articles published; 10 changed give exactly 10 updates, 5 unqualified exactly 5 unpublishes, 50 unchanged nothing; a resync on bus.control re-publishes every selected one")
    func catalogue() throws {
        let flow = ArticlePublisherFlow()
        let harness = try FlowHarness(flow: flow, topics: [Topics.shopCatalog], partitions: 3)
        try harness.publish((0..<1000).map { Fixture.record(Self.article($0)) })
        let worker = harness.start(flow)

        let first = try harness.read(Topics.shopCatalog) { $0.count >= 1000 }
        let published = Self.decode(first)
        #expect(first.count == 1000, "one entry per article, no more")
        #expect(Set(published.entries.map(\.sku.rawValue)).count == 1000)
        #expect(published.entries.allSatisfy { $0.validate().isEmpty })
        let ids = Set(first.compactMap { $0.headers.string("ce_id") })
        #expect(ids.count == 1000, "every output has its own id")

        // The ERP sends 10 real changes, 5 articles that stop qualifying, and 50 unchanged re-sends.
        let changed = Array(0..<10)
        let unqualified = Array(500..<505)
        let unchanged = Array(900..<950)
        var second = changed.map { Fixture.record(Self.article($0) { $0.basePriceExclTax = Fixture.eur(99_900) }) }
        second += unqualified.map { n in Fixture.record(Self.article(n) { $0.webEnabled = n % 2 == 0 ? false : $0.webEnabled; $0.status = n % 2 == 0 ? .active : .obsolete }) }
        second += unchanged.map { Fixture.record(Self.article($0)) }
        try harness.publish(second)

        let all = try harness.read(Topics.shopCatalog) { $0.count >= 1015 }
        #expect(all.count == 1015, "exactly 10 updates and 5 unpublishes after the first 1,000")
        let later = Self.decode(Array(all.filter { record in !first.contains { $0.partition == record.partition && $0.offset == record.offset } }))
        #expect(later.entries.map(\.sku.rawValue).sorted() == changed.map(Self.sku))
        #expect(later.entries.allSatisfy { $0.priceExclTax.amount == 99_900 })
        #expect(later.unpublished.map(\.sku.rawValue).sorted() == unqualified.map(Self.sku))
        #expect(Set(later.unpublished.map(\.reason)) == [.webDisabled, .obsolete])

        // An operator asks for a resync on bus.control, as `bus resync` would.
        let request = ResyncRequest(requestID: "resync-1", worker: .articlePublisher, scope: .all, keys: [], reason: "site reindex",
                                    requestedBy: "ops", requestedAt: Fixture.time)
        try harness.publish([Fixture.record(request, topic: Topics.control, key: WorkerName.articlePublisher.rawValue)])
        let withResync = try harness.read(Topics.shopCatalog) { $0.count >= 1015 + 995 }
        #expect(withResync.count == 1015 + 995, "every selected article re-published once, nothing else")
        let resynced = Self.decode(withResync.filter { $0.headers.string("ce_causationid") == "resync-1" })
        let selected = (0..<1000).filter { !unqualified.contains($0) }.map(Self.sku)
        #expect(resynced.entries.map(\.sku.rawValue).sorted() == selected)
        #expect(resynced.unpublished.isEmpty)
        let latest = Dictionary((published.entries + later.entries).map { ($0.sku.rawValue, $0) }, uniquingKeysWith: { _, later in later })
        #expect(resynced.entries.allSatisfy { latest[$0.sku.rawValue] == $0 }, "each as last published")

        _ = waitUntil(timeout: .seconds(20)) { (try? harness.committed().values.reduce(0, +)) == 1065 }
        worker.stopCleanly()
        #expect(worker.failure == nil)
        #expect(try harness.committed().values.reduce(0, +) == 1065, "every input committed")
        #expect(try harness.readAll(flow.deadLetterTopic).isEmpty)
    }

    @Test("kill and restart: a crashed worker's successor leaves the same outputs as a clean run", arguments: [150, 420])
    func killAndRestart(crashAfter: Int) throws {
        // 600 ERP records over 120 SKUs: each SKU is published, repriced, re-sent unchanged,
        // and every fifth one taken off the web then put back.
        var inputs: [ProducerRecord] = []
        for round in 0..<5 {
            for n in 0..<120 {
                inputs.append(Fixture.record(Self.article(n) {
                    $0.basePriceExclTax = Fixture.eur(Int64(1000 + n + (round == 1 ? 50 : 0) + (round >= 3 ? 70 : 0)))
                    if round == 3, n % 5 == 0 { $0.webEnabled = false }
                }, id: "erp-\(round)-\(n)"))
            }
        }
        let expected = try Self.expectedOutputs(inputs)
        let (reference, crashed) = try KillAndRestart.run(
            flow: ArticlePublisherFlow(), topics: [Topics.erpArticles], inputs: inputs, outputs: [Topics.shopCatalog],
            crashAfter: crashAfter, settled: { $0.byID.count >= expected })
        #expect(reference.byID.count == expected)
        #expect(crashed.byID == reference.byID, "the same outputs, ids and bytes")
        #expect(crashed.conflicting.isEmpty && reference.conflicting.isEmpty, "a repeated id always carries the same bytes")
        #expect(crashed.finalValues == reference.finalValues)
    }

    /// How many outputs the flow gives for `records`, run in memory in publishing order.
    static func expectedOutputs(_ records: [ProducerRecord]) throws -> Int {
        let run = Run()
        var count = 0
        for record in records {
            guard let value = record.value else { continue }
            count += try run.handle(Fixture.input(try codec.decode(ERPArticle.self, from: value))).count
        }
        return count
    }
}
