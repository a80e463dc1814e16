import BusSchema
import Foundation
import StockBroadcasterFlow
import Testing

/// The availability rules, one table per sentence of the README.
@Suite("stock-broadcaster: availability rules")
struct AvailabilityRuleTests {
    struct StatusCase: Sendable, CustomTestStringConvertible {
        let net: String
        let backorders: Bool
        let receipt: String?
        let status: AvailabilityStatus
        let nextOn: String?
        let onOrder: Bool
        var testDescription: String { "net \(net)\(backorders ? " backorderable" : "") → \(status.rawValue)\(onOrder ? " on order" : "")" }
    }

    /// In stock above the threshold (5), limited at or below it, out of stock at zero or
    /// below; an article allowing backorders shows on order instead; out of stock or on order
    /// shows the earliest receipt.
    @Test("status mode: in stock above the threshold, limited at or below it, out of stock at zero, on order when backorderable", arguments: [
        StatusCase(net: "12", backorders: false, receipt: nil, status: .inStock, nextOn: nil, onOrder: false),
        StatusCase(net: "6", backorders: false, receipt: "2030-01-10", status: .inStock, nextOn: nil, onOrder: false),
        StatusCase(net: "5.001", backorders: false, receipt: nil, status: .inStock, nextOn: nil, onOrder: false),
        StatusCase(net: "5", backorders: false, receipt: nil, status: .limited, nextOn: nil, onOrder: false),
        StatusCase(net: "1", backorders: true, receipt: "2030-01-10", status: .limited, nextOn: nil, onOrder: false),
        StatusCase(net: "0.250", backorders: false, receipt: nil, status: .limited, nextOn: nil, onOrder: false),
        StatusCase(net: "0", backorders: false, receipt: nil, status: .outOfStock, nextOn: nil, onOrder: false),
        StatusCase(net: "0", backorders: false, receipt: "2030-01-10", status: .outOfStock, nextOn: "2030-01-10", onOrder: false),
        StatusCase(net: "-3", backorders: false, receipt: "2030-01-10", status: .outOfStock, nextOn: "2030-01-10", onOrder: false),
        StatusCase(net: "0", backorders: true, receipt: "2030-02-01", status: .outOfStock, nextOn: "2030-02-01", onOrder: true),
        StatusCase(net: "-7", backorders: true, receipt: nil, status: .outOfStock, nextOn: nil, onOrder: true),
    ])
    func statusMode(_ row: StatusCase) throws {
        let shown = try StockBroadcasterRules.defaults.shown(
            netAvailable: Stock.quantity(row.net), backorderAllowed: row.backorders, nextReceipt: row.receipt.flatMap(LocalDate.init))
        #expect(shown == ShownAvailability(status: row.status, quantity: nil, nextAvailableOn: row.nextOn.flatMap(LocalDate.init), onOrder: row.onOrder))
    }

    struct QuantityCase: Sendable, CustomTestStringConvertible {
        let net: String
        let safety: String
        let shown: String
        let status: AvailabilityStatus
        var testDescription: String { "net \(net) − safety \(safety) → \(shown) \(status.rawValue)" }
    }

    /// The sellable quantity is the net available minus the safety stock, never below zero.
    @Test("quantity mode: the available quantity minus the safety stock, never below zero", arguments: [
        QuantityCase(net: "40", safety: "0", shown: "40", status: .inStock),
        QuantityCase(net: "40", safety: "3", shown: "37", status: .inStock),
        QuantityCase(net: "8", safety: "3", shown: "5", status: .limited),
        QuantityCase(net: "12.500", safety: "2", shown: "10.500", status: .inStock),
        QuantityCase(net: "3", safety: "3", shown: "0", status: .outOfStock),
        QuantityCase(net: "2", safety: "3", shown: "0", status: .outOfStock),
        QuantityCase(net: "-4", safety: "0", shown: "0", status: .outOfStock),
    ])
    func quantityMode(_ row: QuantityCase) throws {
        let rules = StockBroadcasterRules(warehouses: [], mode: .quantity, limitedThreshold: Quantity(5), safetyStock: Stock.quantity(row.safety))
        let shown = try rules.shown(netAvailable: Stock.quantity(row.net), backorderAllowed: false, nextReceipt: nil)
        #expect(shown.status == row.status)
        #expect(shown.quantity == Stock.quantity(row.shown))
        #expect(shown.message(sku: "A-1", updatedAt: Stock.at(0)).validate().isEmpty, "the message agrees with the schema's rules")
    }

    struct SumCase: Sendable, CustomTestStringConvertible {
        let warehouses: [String]
        let levels: [(String, String, String)]
        let net: String
        var testDescription: String {
            "counting \(warehouses.isEmpty ? "every warehouse" : warehouses.joined(separator: ", ")): \(levels.map { "\($0.0) \($0.1)−\($0.2)" }.joined(separator: ", ")) → \(net)"
        }
    }

    /// Available = Σ over the configured warehouses of (on hand − reserved).
    @Test("available is the sum over the configured warehouses of on hand minus reserved", arguments: [
        SumCase(warehouses: [], levels: [("WH1", "10", "3")], net: "7"),
        SumCase(warehouses: [], levels: [("WH1", "10", "3"), ("WH2", "4", "0")], net: "11"),
        SumCase(warehouses: [], levels: [("WH1", "10", "3"), ("WH2", "-2", "0")], net: "5"),
        SumCase(warehouses: ["WH1"], levels: [("WH1", "10", "3"), ("WH2", "50", "0")], net: "7"),
        SumCase(warehouses: ["WH1", "WH3"], levels: [("WH1", "2.5", "0.5"), ("WH2", "50", "0"), ("WH3", "1", "4")], net: "-1"),
    ])
    func sumOverWarehouses(_ row: SumCase) throws {
        let rules = StockBroadcasterRules(warehouses: row.warehouses.map(WarehouseCode.init(rawValue:)), mode: .quantity,
                                          limitedThreshold: Quantity(5), safetyStock: .zero)
        var stock = SKUStock()
        for (index, (warehouse, onHand, reserved)) in row.levels.enumerated() where rules.counts(WarehouseCode(warehouse)) {
            _ = try stock.record(Stock.level("A-1", warehouse, onHand: onHand, reserved: reserved, at: index))
        }
        #expect(try stock.netAvailable() == Stock.quantity(row.net))
    }

    struct ReceiptCase: Sendable, CustomTestStringConvertible {
        let incoming: [(String, String)]
        let next: String?
        var testDescription: String { "\(incoming.map { "\($0.0) on \($0.1)" }) → \(next ?? "none")" }
    }

    /// The next availability date is the earliest incoming receipt with a positive quantity.
    @Test("the next availability date is the earliest incoming receipt with a positive quantity", arguments: [
        ReceiptCase(incoming: [], next: nil),
        ReceiptCase(incoming: [("10", "2030-03-01")], next: "2030-03-01"),
        ReceiptCase(incoming: [("10", "2030-03-01"), ("2", "2030-02-15")], next: "2030-02-15"),
        ReceiptCase(incoming: [("0", "2030-01-01"), ("5", "2030-02-15")], next: "2030-02-15"),
        ReceiptCase(incoming: [("0", "2030-01-01")], next: nil),
    ])
    func nextReceipt(_ row: ReceiptCase) throws {
        var stock = SKUStock()
        _ = try stock.record(Stock.level("A-1", onHand: "0", incoming: row.incoming))
        #expect(stock.nextReceipt == row.next.flatMap(LocalDate.init))
    }

    /// Across warehouses the earliest receipt wins.
    @Test("the earliest receipt over every counted warehouse")
    func earliestAcrossWarehouses() throws {
        var stock = SKUStock()
        _ = try stock.record(Stock.level("A-1", "WH1", onHand: "0", incoming: [("4", "2030-05-01")]))
        _ = try stock.record(Stock.level("A-1", "WH2", onHand: "0", incoming: [("1", "2030-04-20")]))
        #expect(stock.nextReceipt == LocalDate("2030-04-20"))
    }

    struct OrderCase: Sendable, CustomTestStringConvertible {
        let keptAt: Int
        let keptOnHand: String
        let newAt: Int
        let newOnHand: String
        let changed: Bool
        let onHand: String
        var testDescription: String { "kept \(keptOnHand)@\(keptAt), new \(newOnHand)@\(newAt) → \(changed ? "taken" : "ignored")" }
    }

    /// Older figures never replace newer ones; the same figures again change nothing.
    @Test("older figures never replace newer ones; the same figures again change nothing", arguments: [
        OrderCase(keptAt: 10, keptOnHand: "5", newAt: 20, newOnHand: "7", changed: true, onHand: "7"),
        OrderCase(keptAt: 10, keptOnHand: "5", newAt: 5, newOnHand: "7", changed: false, onHand: "5"),
        OrderCase(keptAt: 10, keptOnHand: "5", newAt: 10, newOnHand: "5", changed: false, onHand: "5"),
        OrderCase(keptAt: 10, keptOnHand: "5", newAt: 10, newOnHand: "6", changed: true, onHand: "6"),
    ])
    func measuringOrder(_ row: OrderCase) throws {
        var stock = SKUStock()
        _ = try stock.record(Stock.level("A-1", onHand: row.keptOnHand, at: row.keptAt))
        #expect(try stock.record(Stock.level("A-1", onHand: row.newOnHand, at: row.newAt)) == row.changed)
        #expect(try stock.netAvailable() == Stock.quantity(row.onHand))
    }
}
