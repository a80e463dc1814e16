import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import Testing

/// A revision of a sales order can be sent by more than one input: a transfer order by the
/// order itself or by its capture, whichever comes last; a change waiting for its payment by
/// the change or by the capture. A crashed worker's successor replays the uncommitted inputs
/// of the co-partitioned topics in whatever order its fetches bring them, over a changelog
/// that may be behind what was delivered, so the same revision can be sent again by another
/// input. Its `ce_id` must therefore come from its facts (the order and the revision), never
/// from the input that sent it, or the ERP reads one revision under two ids.
@Suite("order-ingest: sales orders replayed across topics in any order")
struct SalesOrderReplayTests {
    typealias Scenario = CancellationReplayTests.Scenario
    typealias Written = FlowTimeline<OrderIngest>.Written

    static func capture(_ cents: Int64, id: String, method: PaymentMethod, minute: Int) -> SitePayment {
        SitePayment(paymentID: PaymentID(id), orderNumber: "WEB-1", kind: .capture, method: method, amount: Shop.money(cents),
                    providerReference: "PSP-\(id)", occurredAt: Shop.at(minutes: minute))
    }

    static let tea = Shop.line(3, "TEA", "2", 1290, "10")

    static let scenarios: [Scenario] = [
        Scenario(name: "paid by transfer: revision 1 sent by the order or by the capture, whichever comes last",
                 orders: [Shop.order("WEB-1", lines: CancellationReplayTests.lines, payment: .bankTransfer, paymentStatus: .pending)],
                 payments: [capture(4890, id: "pay-1", method: .bankTransfer, minute: 700)],
                 atMost: 0),
        Scenario(name: "paid by card, then two teas added: revision 2 sent by the change or by the capture of the increase",
                 orders: [Shop.order("WEB-1", lines: CancellationReplayTests.lines, paymentStatus: .paid),
                          OrderChangeTests.change("chg-1", added: [tea], after: CancellationReplayTests.lines + [tea])],
                 payments: [capture(4890, id: "pay-0", method: .card, minute: 601), capture(2580, id: "pay-1", method: .card, minute: 1001)],
                 atMost: 0),
    ]

    /// The sales order revisions the ERP reads, by `ce_id`: id to "order rREVISION".
    static func revisions(_ outputs: [Written]) -> [String: String] {
        var revisions: [String: String] = [:]
        for output in outputs where output.topic == Topics.erpSalesOrders {
            guard let id = output.id, let value = output.value,
                  let order = try? Shop.codec.decode(ERPSalesOrder.self, from: value) else { continue }
            revisions[id] = "\(order.externalReference) r\(order.revision)"
        }
        return revisions
    }

    /// Revisions the ERP would read under more than one id, and cancellations (none is asked for).
    static func problems(_ outputs: [Written]) -> [String] {
        let received = revisions(outputs)
        let idsPerRevision = Dictionary(grouping: received.keys, by: { received[$0] ?? "" })
        return idsPerRevision.sorted { $0.key < $1.key }.compactMap { revision, ids in
            ids.count > 1 ? "\(revision) reaches the ERP under \(ids.count) ids: \(ids.sorted())" : nil
        } + CancellationReplayTests.problems(outputs, atMost: 0)
    }

    @Test("every interleaving of the topics: each revision reaches the ERP, under the same id whichever input sent it", arguments: scenarios)
    func everyInterleaving(_ scenario: Scenario) throws {
        let orders = CancellationReplayTests.interleavings(scenario.streams)
        var union: [Written] = []
        for order in orders {
            let outputs = try CancellationReplayTests.run(order).outputs
            union += outputs
            #expect(Set(Self.revisions(outputs).values).count == scenario.orders.count, "\(order.map(\.envelope.id)): revisions \(Self.revisions(outputs))")
        }
        #expect(Self.problems(union) == [], "over every interleaving")
        print("sales order replay: \(scenario.name): \(orders.count) interleavings, \(Self.revisions(union).count) ids")
    }

    @Test("a crash after any input, the changelog of what followed lost, and a replay in any order: no revision under two ids",
          arguments: scenarios)
    func crashAndReplayInAnotherOrder(_ scenario: Scenario) throws {
        let replays = try scenario.crashAndReplayInAnyOrder(seed: 29) { Self.problems($0) }
        print("sales order replay: \(scenario.name): \(replays) crashes and replays checked")
    }
}
