import BusSchema
import Foundation
import StockBroadcasterFlow
import Testing

/// A SKU deleted in the ERP (a tombstone on `erp.stock`) leaves stock-broadcaster's state.
@Suite("stock-broadcaster: SKUs deleted in the ERP")
struct StockDeletionTests {
    static func deletion(_ bench: StockBench, _ sku: String, topic: String = Topics.erpStock) throws -> [FlowOutput] {
        var state = FlowState(store: bench.store)
        let cause = Envelope(id: "deleted-\(sku)", source: "kafka/\(topic)", type: "bus.deleted", time: Stock.at(100))
        let outputs = try bench.flow.deleted(key: sku, topic: topic, cause: cause, state: &state, tables: StaticTables())
        bench.store.apply(state.changes)
        return outputs
    }

    @Test("the SKU's state is dropped and the site's availability tombstoned; a second deletion does nothing")
    func deleted() throws {
        let bench = StockBench(.defaults)
        _ = try bench.handle(Stock.input(Stock.level("A", onHand: "20")))
        let outputs = try Self.deletion(bench, "A")
        #expect(bench.store["A"] == nil)
        #expect(outputs.count == 1)
        #expect(outputs.first?.topic == Topics.shopAvailability && outputs.first?.key == "A" && outputs.first?.message == nil)
        #expect(try Self.deletion(bench, "A").isEmpty)
        #expect(bench.flow.readsDeletions)
    }

    @Test("a SKU known only by its claims is dropped without a publication")
    func onlyClaims() throws {
        let bench = StockBench(.defaults)
        let claim = StockClaim(sku: "B", orderNumber: "WEB-1", quantity: Quantity(2), claimedAt: Stock.at(0))
        _ = try bench.handle(FlowInput(envelope: Envelope(for: StockClaim.self, id: "c", source: "bus/order-ingest", time: Stock.at(0)),
                                       message: claim, key: "B", topic: Topics.stockClaims))
        #expect(try Self.deletion(bench, "B").isEmpty)
        #expect(bench.store["B"] == nil)
    }

    @Test("a tombstone on another input is refused: it goes to the dead letters")
    func otherTopics() throws {
        let bench = StockBench(.defaults)
        _ = try bench.handle(Stock.input(Stock.level("A", onHand: "20")))
        for topic in [Topics.stockClaims, Topics.availabilityQueries] {
            #expect(throws: FlowRejection.self) { try Self.deletion(bench, "A", topic: topic) }
        }
        #expect(bench.store["A"] != nil)
    }
}
