import BusSchema
import Foundation
import StockBroadcasterFlow
import Testing

/// The flow as the runtime calls it: publication only on change, idempotence, rejections.
@Suite("stock-broadcaster: handler")
struct StockBroadcasterHandlerTests {
    @Test("a movement publishes the SKU's availability, coalesced, keyed by the SKU")
    func publishes() throws {
        let bench = StockBench()
        let outputs = try bench.handle(Stock.input(Stock.level("A-1", onHand: "20", reserved: "4", at: 7)))
        let output = try #require(outputs.first)
        #expect(outputs.count == 1)
        #expect(output.topic == Topics.shopAvailability)
        #expect(output.key == "A-1")
        #expect(output.delivery == .coalesced)
        let availability = try #require(output.message as? Availability)
        #expect(availability.status == .inStock)
        #expect(availability.quantity == nil, "status mode shows no quantity")
        #expect(availability.updatedAt == Stock.at(7))
        #expect(availability.validate().isEmpty)
    }

    @Test("publish only when what the site sees changes")
    func onlyOnChange() throws {
        let bench = StockBench()
        let steps: [(onHand: String, publishes: AvailabilityStatus?)] = [
            ("20", .inStock), ("19", nil), ("12", nil), ("5", .limited), ("3", nil), ("0", .outOfStock), ("0", nil), ("9", .inStock),
        ]
        for (second, step) in steps.enumerated() {
            let published = try bench.publish(Stock.level("A-1", onHand: step.onHand, at: second))
            #expect(published?.status == step.publishes, "on hand \(step.onHand)")
        }
    }

    @Test("in quantity mode, every change of the sellable quantity is shown")
    func quantityChanges() throws {
        let bench = StockBench(StockBroadcasterRules(warehouses: [], mode: .quantity, limitedThreshold: Quantity(5), safetyStock: Quantity(1)))
        #expect(try bench.publish(Stock.level("A-1", onHand: "20", at: 1))?.quantity == Quantity(19))
        #expect(try bench.publish(Stock.level("A-1", onHand: "20.000", at: 2)) == nil, "20.000 is 20: nothing new to show")
        #expect(try bench.publish(Stock.level("A-1", onHand: "18", at: 3))?.quantity == Quantity(17))
    }

    @Test("a redelivered or older movement produces nothing and changes no state")
    func idempotent() throws {
        let bench = StockBench()
        let first = Stock.input(Stock.level("A-1", onHand: "20", at: 10), id: "m1")
        #expect(try bench.handle(first).count == 1)
        let kept = bench.store.snapshot
        #expect(try bench.handle(first).isEmpty, "redelivery")
        #expect(try bench.handle(Stock.input(Stock.level("A-1", onHand: "0", at: 5))).isEmpty, "older figures")
        #expect(bench.store.snapshot == kept)
    }

    @Test("a warehouse not configured is ignored")
    func otherWarehouse() throws {
        let bench = StockBench(StockBroadcasterRules(warehouses: ["PAR"], mode: .status, limitedThreshold: Quantity(5), safetyStock: .zero))
        #expect(try bench.handle(Stock.input(Stock.level("A-1", "LYO", onHand: "20"))).isEmpty)
        #expect(bench.store.count == 0)
        #expect(try bench.publish(Stock.level("A-1", "PAR", onHand: "20"))?.status == .inStock)
    }

    @Test("stock in two warehouses adds up; one going negative takes from the other")
    func twoWarehouses() throws {
        let bench = StockBench(StockBroadcasterRules(warehouses: [], mode: .quantity, limitedThreshold: Quantity(5), safetyStock: .zero))
        #expect(try bench.publish(Stock.level("A-1", "PAR", onHand: "10", reserved: "2", at: 1))?.quantity == Quantity(8))
        #expect(try bench.publish(Stock.level("A-1", "LYO", onHand: "4", at: 2))?.quantity == Quantity(12))
        let oversold = try #require(try bench.publish(Stock.level("A-1", "LYO", onHand: "-1", reserved: "10", at: 3)))
        #expect(oversold.quantity == Quantity(0))
        #expect(oversold.status == .outOfStock)
        #expect(oversold.updatedAt == Stock.at(3), "measured at the latest figures")
    }

    @Test("a backorderable article at zero is on order with its next receipt")
    func onOrder() throws {
        let bench = StockBench()
        let published = try #require(try bench.publish(Stock.level("A-1", onHand: "0", incoming: [("30", "2030-06-01")], backorders: true)))
        #expect(published.status == .outOfStock)
        #expect(published.onOrder == true)
        #expect(published.nextAvailableOn == LocalDate("2030-06-01"))
        #expect(published.validate().isEmpty)
    }

    @Test("a later receipt date alone is a change the site sees")
    func dateChange() throws {
        let bench = StockBench()
        #expect(try bench.publish(Stock.level("A-1", onHand: "0", incoming: [("3", "2030-06-01")], at: 1)) != nil)
        #expect(try bench.publish(Stock.level("A-1", onHand: "0", incoming: [("3", "2030-06-08")], at: 2))?.nextAvailableOn == LocalDate("2030-06-08"))
    }

    @Test("another message type is refused")
    func otherType() throws {
        let bench = StockBench()
        let unpublish = CatalogUnpublish(sku: "A-1", reason: .obsolete, unpublishedAt: Stock.at(0))
        let input = FlowInput(envelope: Envelope(for: CatalogUnpublish.self, id: "x", source: "test", time: Stock.at(0)),
                              message: unpublish, key: "A-1", topic: Topics.erpStock)
        #expect(throws: FlowRejection.self) { _ = try bench.handle(input) }
    }

    @Test("a resync publishes again what the site was last told, for every SKU in order")
    func resync() throws {
        let bench = StockBench()
        for sku in ["C-3", "A-1", "B-2"] { _ = try bench.handle(Stock.input(Stock.level(sku, onHand: "2"))) }
        var state = FlowState(store: bench.store)
        let outputs = bench.flow.control(.resync(keys: nil), state: &state, tables: StaticTables())
        #expect(outputs.map(\.key) == ["A-1", "B-2", "C-3"])
        #expect(outputs.allSatisfy { ($0.message as? Availability)?.status == .limited })
        #expect(state.changes.isEmpty)
    }
}
