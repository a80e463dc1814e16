import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import PaymentLettererFlow
import Testing

/// A crashed worker's successor replays the uncommitted inputs of `shop.payments`,
/// `erp.invoices` and `erp.sales-orders`, which share a partition number, in whatever order its
/// fetches bring them; and when the crash took the changelog writes in flight, it replays them
/// over a state that does not know what the outputs already sent say. Every effect's id and
/// content must then follow from the facts, not from the input that happened to settle the
/// account: the same inputs in any interleaving, and any crash and replay of them, leave the
/// same effects once deduplicated by `ce_id`. An overpayment waits an hour of the partition's
/// clock (`OverpaymentWait`), so each run ends with the clock moved past it.
@Suite("payment-letterer: replay across topics in any order")
struct ReplayOrderTests {
    /// One order's inputs, per topic, each list in the order its topic partition holds it.
    struct Scenario: Sendable, CustomStringConvertible {
        var name: String
        var payments: [SitePayment] = []
        var documents: [any BusMessage & Sendable] = []
        var orders: [any BusMessage & Sendable] = []
        /// The exception kinds every interleaving must raise, each once.
        var exceptions: [ExceptionKind] = []
        var description: String { name }

        /// The inputs as the runtime hands them over: each with its own, fixed envelope id.
        var streams: [[FlowInput]] {
            [payments.enumerated().map { input($1, topic: Topics.shopPayments, n: $0, at: $1.occurredAt) },
             documents.enumerated().map { input($1, topic: Topics.erpInvoices, n: $0, at: ReplayOrderTests.time(of: $1)) },
             orders.enumerated().map { input($1, topic: Topics.erpSalesOrders, n: $0, at: ReplayOrderTests.time(of: $1)) }]
        }

        private func input(_ message: any BusMessage, topic: String, n: Int, at time: Instant) -> FlowInput {
            let type = Swift.type(of: message)
            let envelope = Envelope(id: "\(topic)-\(n)", source: "test/\(topic)", type: type.messageType, time: time)
            return FlowInput(envelope: envelope, message: message, key: "WEB-1", topic: topic)
        }
    }

    static func time(of message: any BusMessage) -> Instant {
        switch message {
        case let invoice as ERPInvoice: invoice.issuedAt
        case let note as ERPCreditNote: note.issuedAt
        case let cancellation as ERPSalesOrderCancellation: cancellation.requestedAt
        default: Pay.at(0)
        }
    }

    static func scenarios() throws -> [Scenario] {
        [
            Scenario(name: "two captures over two invoices",
                     payments: [Pay.payment("p1", .card, 6000, at: 2), Pay.payment("p2", .paypal, 4000, at: 3)],
                     documents: [Pay.invoice("FA-1", 7000, at: 10), Pay.invoice("FA-2", 3000, at: 11)],
                     orders: [try Pay.salesOrder(10000)]),
            Scenario(name: "captured in full, partly cancelled, invoiced for less: one overpayment (#17)",
                     payments: [Pay.payment("p1", .card, 10000, at: 2)],
                     documents: [Pay.invoice("FA-1", 8000, at: 20)],
                     orders: [try Pay.salesOrder(10000), try Pay.salesOrder(8000, revision: 2)],
                     exceptions: [.overpayment]),
            Scenario(name: "captured in full, a unit of line 1 cancelled, invoiced for the rest: one overpayment (#17)",
                     payments: [Pay.payment("p1", .card, 10000, at: 2)],
                     documents: [Pay.invoice("FA-1", 7000, at: 20)],
                     orders: [try CancelledTotalsTests.salesOrder(), CancelledTotalsTests.cancel("c1", [(1, 1)], at: 10)],
                     exceptions: [.overpayment]),
            Scenario(name: "lowered and refunded by the site a minute after the change, invoiced for less: no overpayment, whichever comes first",
                     payments: [Pay.payment("p1", .card, 10000, at: 2), Pay.payment("r1", .card, 2000, kind: .refund, at: 12)],
                     documents: [Pay.invoice("FA-1", 8000, at: 30)],
                     orders: [try Pay.salesOrder(10000), try Pay.salesOrder(8000, revision: 2)]),
            Scenario(name: "a capture, a return as store credit",
                     payments: [Pay.payment("p1", .card, 10000, at: 2)],
                     documents: [Pay.invoice("FA-1", 10000, at: 10), Pay.creditNote("AV-1", 3000, refund: .storeCredit, at: 30)],
                     orders: [try Pay.salesOrder(10000)]),
            Scenario(name: "a return refunded to the card",
                     payments: [Pay.payment("p1", .card, 10000, at: 2), Pay.payment("r1", .card, 2500, kind: .refund, at: 40)],
                     documents: [Pay.invoice("FA-1", 10000, at: 10), Pay.creditNote("AV-1", 2500, refund: .originalPayment, at: 30)],
                     orders: [try Pay.salesOrder(10000)]),
            Scenario(name: "cancelled before invoicing, refunded in two parts",
                     payments: [Pay.payment("p1", .card, 10000, at: 2), Pay.payment("r1", .card, 4000, kind: .refund, at: 30),
                                Pay.payment("r2", .card, 6000, kind: .refund, at: 31)],
                     orders: [try Pay.salesOrder(10000),
                              ERPSalesOrderCancellation(requestID: "cx1", externalReference: "WEB-1", reason: .customerRequest, lines: [], requestedAt: Pay.at(20))]),
        ]
    }

    /// Every merge of the streams that keeps each stream's order.
    static func interleavings(_ streams: [[FlowInput]]) -> [[FlowInput]] { BusTestKit.interleavings(streams) }

    /// A random merge keeping each stream's order.
    static func shuffled(_ streams: [[FlowInput]], using rng: inout SplitMix64) -> [FlowInput] {
        var rest = streams
        var merged: [FlowInput] = []
        while let pick = rest.indices.filter({ !rest[$0].isEmpty }).randomElement(using: &rng) {
            merged.append(rest[pick].removeFirst())
        }
        return merged
    }

    typealias Written = FlowTimeline<PaymentLetterer>.Written

    /// Two hours after the scenarios' inputs: past an overpayment's wait (an hour by default).
    static let afterTheWait = Pay.at(7200)

    /// Feeds `inputs`, then (`thenWait`) moves the clock past an overpayment's wait, as later
    /// inputs or an idle tick would.
    static func run(_ inputs: [FlowInput], from timeline: FlowTimeline<PaymentLetterer> = FlowTimeline(flow: PaymentLetterer()),
                    thenWait: Bool = true) throws -> FlowTimeline<PaymentLetterer> {
        var timeline = timeline
        for input in inputs { try timeline.feed(input, tables: StaticTables()) }
        if thenWait { try timeline.advance(to: afterTheWait, tables: StaticTables()) }
        return timeline
    }

    /// What leaves the bus (the internal re-keying topic is the worker's own).
    static func effects(_ outputs: [Written]) -> [Written] {
        outputs.filter { $0.topic != CreditRoute.topic }
    }

    /// The chaos run's duplicate check: an output carried by two ids is an effect twice; an id
    /// carried by two contents is a reader keeping the wrong one. Latest-wins topics are
    /// tables (their ids cover their content): only the second rule applies there.
    static func problems(_ outputs: [Written]) -> [String] {
        var contents: [String: Set<Data?>] = [:]
        var ids: [String: Set<String>] = [:]
        for output in effects(outputs) {
            guard let id = output.id else { continue }
            contents[id, default: []].insert(output.value)
            guard !Topics.latestWins.contains(output.topic) else { continue }
            ids["\(output.topic) \(output.value.map { String(decoding: $0, as: UTF8.self) } ?? "null")", default: []].insert(id)
        }
        return contents.filter { $0.value.count > 1 }.keys.sorted().map { "id \($0) carries \(contents[$0]?.count ?? 0) contents" }
            + ids.filter { $0.value.count > 1 }.keys.sorted().map { "under \(ids[$0]?.count ?? 0) ids: \($0)" }
    }

    /// The effects that record facts (everything but lettering entries and offsets, which grow
    /// with what is known), by id; and each document's last lettering.
    static func summary(_ outputs: [Written]) throws -> (facts: [String: Data], finalLettering: [String: Data]) {
        var facts: [String: Data] = [:]
        var lettering: [String: Data] = [:]
        for output in effects(outputs) where !Topics.latestWins.contains(output.topic) {
            guard let id = output.id, let value = output.value else { continue }
            if let entry = try? Pay.codec.decode(LetteringEntry.self, from: value), entry.letteringID.rawValue.hasPrefix("let-") {
                let document = entry.invoices.first?.invoiceNumber.rawValue ?? entry.creditNotes.first?.creditNoteNumber.rawValue ?? "?"
                lettering[document] = value
            } else if let offset = try? Pay.codec.decode(PaymentOffset.self, from: value), offset.offsetID.rawValue.hasPrefix("off-") {
                lettering["offset"] = value
            } else {
                facts[id] = value
            }
        }
        return (facts, lettering)
    }

    @Test("every interleaving of the three topics: the same receipts, credits, proposals and exceptions under the same ids, the same final lettering, no effect under two ids",
          arguments: try scenarios())
    func everyInterleaving(_ scenario: Scenario) throws {
        let orders = Self.interleavings(scenario.streams)
        let straight = try Self.run(orders[0]).outputs
        let expected = try Self.summary(straight)
        #expect(!expected.facts.isEmpty && !expected.finalLettering.isEmpty)
        var union: [Written] = []
        for order in orders {
            let outputs = try Self.run(order).outputs
            union += outputs
            let summary = try Self.summary(outputs)
            #expect(summary.facts == expected.facts, "\(order.map(\.envelope.id)): other facts")
            #expect(summary.finalLettering == expected.finalLettering, "\(order.map(\.envelope.id)): another final lettering")
            let kinds = Self.effects(outputs).compactMap { $0.value.flatMap { try? Pay.codec.decode(BusinessException.self, from: $0) }?.kind }
            #expect(kinds == scenario.exceptions, "\(order.map(\.envelope.id)): exceptions \(kinds)")
        }
        #expect(Self.problems(union) == [], "over \(orders.count) interleavings")
        print("replay order: \(scenario.name): \(orders.count) interleavings, \(Set(union.compactMap(\.id)).count) distinct output ids")
    }

    /// The demo's lowered order: the site refunds the difference a minute after the change,
    /// the ERP invoices the lower total later. Read in the clean order nothing is overpaid; a
    /// replay that reads the invoice before that refund finds the order overpaid for a moment,
    /// and the refund clears it within the overpayment's wait: nothing is raised.
    @Test("a lowered order refunded by the site, replayed with the invoice before the refund: no overpayment")
    func loweredAndRefunded() throws {
        let scenario = Scenario(name: "lowered and refunded",
                                payments: [Pay.payment("p1", .card, 10000, at: 2), Pay.payment("r1", .card, 2000, kind: .refund, at: 12)],
                                documents: [Pay.invoice("FA-1", 8000, at: 30)],
                                orders: [try Pay.salesOrder(10000), try Pay.salesOrder(8000, revision: 2)])
        let orders = Self.interleavings(scenario.streams)
        var overpaid = 0
        for order in orders {
            let outputs = try Self.run(order).outputs
            #expect(Self.problems(outputs) == [])
            if Self.effects(outputs).contains(where: { $0.topic == Topics.exceptions }) { overpaid += 1 }
        }
        print("replay order: lowered and refunded: \(overpaid) of \(orders.count) interleavings report an overpayment")
        #expect(overpaid == 0)
    }

    @Test("a crash after any input, the changelog of what followed lost, and a replay in another order: no effect twice, no id with two contents",
          arguments: try scenarios())
    func crashAndReplayInAnotherOrder(_ scenario: Scenario) throws {
        var rng = SplitMix64(seed: 17)
        let replays = try TimelineReplay.everyCrash(
            of: Self.interleavings(scenario.streams), flow: PaymentLetterer(), replaysPerCrash: 3,
            replay: { Self.shuffled(scenario.streams, using: &rng) },
            run: { inputs, timeline, toCrash in try Self.run(inputs, from: timeline, thenWait: !toCrash) }
        ) { delivered, description in
            let problems = Self.problems(delivered)
            #expect(problems == [], "\(description): \(problems)")
            return problems.isEmpty
        }
        print("replay order: \(scenario.name): \(replays) crashes and replays checked")
    }
}
