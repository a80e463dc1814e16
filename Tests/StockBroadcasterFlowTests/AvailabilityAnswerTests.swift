import BusSchema
import Foundation
import StockBroadcasterFlow
import Testing

/// The availability answer's rules, as the README states them, on values alone.
@Suite("stock-broadcaster: availability answers")
struct AvailabilityAnswerTests {
    static let quantityMode = StockBroadcasterRules(warehouses: [], mode: .quantity, limitedThreshold: Quantity(5), safetyStock: Quantity(1))

    /// (on hand, claimed, backorders, incoming) → (status, quantity, next date, on order), quantity mode, safety stock 1.
    static let table: [(onHand: String, claimed: String?, backorders: Bool, expected: AvailabilityItem)] = [
        ("20", nil, false, AvailabilityItem(sku: "A", status: .inStock, quantity: Quantity(19))),
        ("20", "15", false, AvailabilityItem(sku: "A", status: .limited, quantity: Quantity(4), inFlight: Quantity(15))),
        ("20", "19", false, AvailabilityItem(sku: "A", status: .outOfStock, quantity: .zero, nextAvailableOn: LocalDate("2030-07-01"), inFlight: Quantity(19))),
        ("20", "30", false, AvailabilityItem(sku: "A", status: .outOfStock, quantity: .zero, nextAvailableOn: LocalDate("2030-07-01"), inFlight: Quantity(30))),
        ("3", "5", true, AvailabilityItem(sku: "A", status: .outOfStock, quantity: .zero, nextAvailableOn: LocalDate("2030-07-01"), onOrder: true, inFlight: Quantity(5))),
    ]

    @Test("available less the safety stock and the orders in flight; the next receipt when out of stock", arguments: table.indices)
    func rule(_ row: Int) throws {
        let (onHand, claimed, backorders, expected) = Self.table[row]
        let bench = StockBench(Self.quantityMode)
        _ = try bench.handle(Stock.input(Stock.level("A", onHand: onHand, incoming: [("10", "2030-07-01")], backorders: backorders)))
        if let claimed { _ = try bench.handle(Self.claim("A", "WEB-1", claimed)) }
        let answer = try Self.ask(bench, ["A"])
        #expect(answer.status == .answered)
        #expect(answer.items == [expected])
    }

    @Test("a cart is answered in its order; a SKU without figures, or held by another instance, is unknown")
    func cart() throws {
        let bench = StockBench(.defaults)
        _ = try bench.handle(Stock.input(Stock.level("B", onHand: "50")))
        _ = try bench.handle(Self.claim("C", "WEB-2", "1"))  // a claim alone: no figures
        let snapshot = bench.store.snapshot
        let state = StateLookup<SKUStock> { key in key == "D" ? .elsewhere : snapshot[key].map { .value($0) } ?? .absent }
        let answer = try #require(try bench.flow.answer(Self.request(["B", "C", "D", "E"]), state: state, tables: StaticTables()) as? AvailabilityAnswer)
        #expect(answer.items.map(\.status) == [.inStock, .unknown, .unknown, .unknown])
        #expect(answer.items.map(\.sku) == ["B", "C", "D", "E"])
        #expect(answer.items[0].quantity == nil, "status mode: no quantity")
        #expect(answer.items[1].inFlight == Quantity(1))
        #expect(answer.validate().isEmpty)
    }

    @Test("a claim of zero releases the order's claim; claims of two orders add up; a claim publishes nothing")
    func claims() throws {
        let bench = StockBench(Self.quantityMode)
        _ = try bench.handle(Stock.input(Stock.level("A", onHand: "20")))
        #expect(try bench.handle(Self.claim("A", "WEB-1", "4")).isEmpty)
        #expect(try bench.handle(Self.claim("A", "WEB-2", "3")).isEmpty)
        #expect(try Self.ask(bench, ["A"]).items[0].inFlight == Quantity(7))
        #expect(try Self.ask(bench, ["A"]).items[0].quantity == Quantity(12))
        _ = try bench.handle(Self.claim("A", "WEB-1", "0"))
        #expect(try Self.ask(bench, ["A"]).items[0].inFlight == Quantity(3))
        #expect(bench.store["A"]?.claims == ["WEB-2": Quantity(3)])
    }

    @Test("a query past its deadline is answered timeout, without items")
    func timeout() throws {
        let bench = StockBench(.defaults)
        _ = try bench.handle(Stock.input(Stock.level("A", onHand: "20")))
        var request = Self.request(["A"])
        request.now = request.deadline
        let answer = try #require(try bench.flow.answer(request, state: StateLookup(bench.store.snapshot), tables: StaticTables()) as? AvailabilityAnswer)
        #expect(answer.status == .timeout)
        #expect(answer.items.isEmpty)
        #expect(answer.validate().isEmpty)
    }

    @Test("a changelog value written before claims existed still reads, and one without claims is written as before")
    func stateCompatibility() throws {
        let old = #"{"backorder_allowed":false,"warehouses":{}}"#
        let stock = try JSONDecoder().decode(SKUStock.self, from: Data(old.utf8))
        #expect(stock.claims.isEmpty)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(stock), as: UTF8.self) == old)
    }

    @Test("the request attributes are required, and the reply topic must be the declared one", arguments: [
        ("ce_correlationid", nil as String?), ("ce_replyto", nil), ("ce_replyto", "shop.catalog"), ("ce_deadline", nil),
    ])
    func requestAttributes(_ field: String, _ value: String?) throws {
        let route = StockBroadcaster().requests[0]
        var input = Self.request(["A"]).input
        switch field {
        case "ce_correlationid": input.envelope.correlationID = nil
        case "ce_replyto": input.envelope.replyTo = value
        default: input.envelope.deadline = nil
        }
        #expect(throws: FlowRejection.self) { try FlowRequest.read(input, route: route, now: Stock.at(0)) }
        do { _ = try FlowRequest.read(input, route: route, now: Stock.at(0)) } catch { #expect(error.field == field) }
        #expect(try FlowRequest.read(Self.request(["A"]).input, route: route, now: Stock.at(0)).replyKey == "site-1")
    }

    // MARK: Fixtures

    static func claim(_ sku: String, _ order: String, _ quantity: String) -> FlowInput {
        let claim = StockClaim(sku: SKU(sku), orderNumber: OrderNumber(order), quantity: Stock.quantity(quantity), claimedAt: Stock.at(0))
        return FlowInput(envelope: Envelope(for: StockClaim.self, id: "claim-\(order)-\(quantity)", source: "bus/order-ingest", time: Stock.at(0)),
                         message: claim, key: sku, topic: Topics.stockClaims)
    }

    static func request(_ skus: [String]) -> FlowRequest {
        let envelope = Envelope(id: "q-1", source: "site/test", type: AvailabilityQuery.messageType, time: Stock.at(0),
                                correlationID: "cart-1", replyTo: Topics.availabilityAnswers, deadline: Stock.at(2))
        let input = FlowInput(envelope: envelope, message: AvailabilityQuery(skus: skus.map { SKU($0) }), key: "site-1", topic: Topics.availabilityQueries)
        return FlowRequest(input: input, correlationID: "cart-1", replyTo: Topics.availabilityAnswers, replyKey: "site-1", deadline: Stock.at(2), now: Stock.at(0))
    }

    static func ask(_ bench: StockBench, _ skus: [String]) throws -> AvailabilityAnswer {
        let answer = try bench.flow.answer(request(skus), state: StateLookup(bench.store.snapshot), tables: StaticTables())
        return try #require(answer as? AvailabilityAnswer)
    }
}
