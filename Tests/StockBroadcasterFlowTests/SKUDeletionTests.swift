import BusSchema
import Foundation
import StockBroadcasterFlow
import Testing

/// SKUs deleted in the ERP leave the state: the rule as `tableChanged` applies it to one
/// partition, read from `shop.catalog` as article-publisher publishes it.
@Suite("stock-broadcaster: SKUs deleted in the ERP")
struct SKUDeletionTests {
    /// What one partition holds before the catalogue speaks: a simple article, a model's two
    /// variants, and another article's SKU.
    static func bench() throws -> StockBench {
        let bench = StockBench()
        for sku in ["MUG", "TEE-S", "TEE-M", "BOOK"] { _ = try bench.handle(Stock.input(Stock.level(sku, onHand: "20", at: 1))) }
        _ = try bench.tableChanged(Catalogue.input(Catalogue.entry("TEE", variants: ["TEE-S", "TEE-M", "TEE-L"]), sku: "TEE"))
        return bench
    }

    @Test("which SKUs a catalogue record ends, and which tombstones it sends on shop.availability",
          arguments: [
            (Catalogue.unpublish("MUG"), "MUG", ["MUG"]),
            (Catalogue.unpublish("TEE"), "TEE", ["TEE-M", "TEE-S"]),
            (Catalogue.unpublish("TEE-S"), "TEE-S", ["TEE-S"]),
            (Catalogue.unpublish("MUG", .obsolete), "MUG", []),
            (Catalogue.unpublish("MUG", .webDisabled), "MUG", []),
            (Catalogue.unpublish("UNKNOWN"), "UNKNOWN", []),
          ] as [(CatalogUnpublish, String, [String])])
    func deletion(_ unpublish: CatalogUnpublish, key: String, ended: [String]) throws {
        let bench = try Self.bench()
        let before = Set(bench.store.snapshot.keys)
        let outputs = try bench.tableChanged(Catalogue.input(unpublish, sku: key))
        #expect(Set(bench.store.snapshot.keys) == before.subtracting(ended), "the entries of exactly these SKUs are gone")
        #expect(outputs.map(\.key) == ended, "one tombstone per ended SKU the site was told of, in SKU order")
        for output in outputs {
            #expect(output.topic == Topics.shopAvailability)
            #expect(output.message == nil, "a tombstone carries no message")
            guard case .tombstone(let type) = output.payload else { Issue.record("not a tombstone"); continue }
            #expect(type == Availability.messageType)
        }
    }

    @Test("a catalogue entry links only the variants this partition holds, and an unchanged link writes nothing")
    func links() throws {
        let bench = try Self.bench()
        #expect(bench.store.snapshot["TEE-S"]?.article == SKU("TEE"))
        #expect(bench.store.snapshot["TEE-L"] == nil, "a variant without stock here gets no entry")
        #expect(bench.store.snapshot["MUG"]?.article == nil, "a simple article is its own")
        var state = FlowState(store: bench.store)
        _ = try bench.flow.tableChanged(Catalogue.input(Catalogue.entry("TEE", variants: ["TEE-S", "TEE-M"], at: 9), sku: "TEE"),
                                        state: &state, tables: StaticTables())
        #expect(state.changes.isEmpty, "a republication of the same article changes no state")
    }

    @Test("a SKU that had no publication leaves the state with no tombstone on shop.availability")
    func neverShown() throws {
        let bench = StockBench(StockBroadcasterRules(warehouses: ["PAR"], mode: .status, limitedThreshold: Quantity(5), safetyStock: .zero))
        _ = try bench.handle(FlowInput(envelope: Envelope(for: StockClaim.self, id: "c1", source: "bus/order-ingest", time: Stock.at(1)),
                                       message: StockClaim(sku: SKU("MUG"), orderNumber: OrderNumber("SO-1"), quantity: Quantity(2), claimedAt: Stock.at(1)),
                                       key: "MUG", topic: Topics.stockClaims))
        #expect(bench.store.snapshot["MUG"]?.shown == nil)
        #expect(try bench.tableChanged(Catalogue.input(Catalogue.unpublish("MUG"), sku: "MUG")).isEmpty)
        #expect(bench.store.snapshot["MUG"] == nil)
    }

    @Test("a later stock level for a deleted SKU starts a new entry and publishes its availability again")
    func laterLevelRecreates() throws {
        let bench = try Self.bench()
        _ = try bench.tableChanged(Catalogue.input(Catalogue.unpublish("TEE"), sku: "TEE"))
        #expect(bench.store.snapshot["TEE-S"] == nil)
        let published = try bench.publish(Stock.level("TEE-S", onHand: "3", at: 5))
        #expect(published?.status == .limited, "the site is told again: the old `shown` went with the entry")
        let stock = try #require(bench.store.snapshot["TEE-S"])
        #expect(stock.warehouses.count == 1)
        #expect(stock.article == nil, "the new entry is not linked to the deleted article")
    }

    @Test("the same deletion told again (a replay, another instance's record) changes nothing and sends nothing")
    func replayedDeletion() throws {
        let bench = try Self.bench()
        let deletion = Catalogue.input(Catalogue.unpublish("TEE"), sku: "TEE", id: "unpublish-1")
        #expect(try bench.tableChanged(deletion).count == 2)
        let after = bench.store.snapshot
        var state = FlowState(store: bench.store)
        #expect(try bench.flow.tableChanged(deletion, state: &state, tables: StaticTables()).isEmpty)
        #expect(state.changes.isEmpty)
        #expect(bench.store.snapshot == after)
    }

    @Test("a link survives the changelog: a value written with it reads back with it, one written before links reads back without")
    func linkInChangelog() throws {
        let linked = SKUStock(warehouses: [:], article: SKU("TEE"))
        let data = try JSONEncoder().encode(linked)
        #expect(try JSONDecoder().decode(SKUStock.self, from: data) == linked)
        let old = Data(#"{"warehouses":{},"backorder_allowed":false}"#.utf8)
        #expect(try JSONDecoder().decode(SKUStock.self, from: old).article == nil)
        #expect(!String(decoding: try JSONEncoder().encode(SKUStock()), as: UTF8.self).contains("article"), "no link, no member")
    }
}
