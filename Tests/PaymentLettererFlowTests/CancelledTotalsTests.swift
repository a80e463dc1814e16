import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

/// #17, "totals seen by payment-letterer follow cancellations": order-ingest passes a line
/// cancellation on to the ERP as an `ERPSalesOrderCancellation` naming the lines, with no new
/// sales order revision; the letterer takes each line's share off the order's total, so the
/// invoices for the rest settle the order, and a capture above it is the overpayment.
@Suite("payment-letterer: totals follow line cancellations")
struct CancelledTotalsTests {
    /// Two lines: 2 × 30.00 and 1 × 40.00, 100.00 in all.
    static func salesOrder() throws -> ERPSalesOrder {
        var order = try Pay.salesOrder(10000)
        var second = order.lines[0]
        order.lines[0].lineNumber = 1
        order.lines[0].quantity = Quantity(2)
        order.lines[0].totalInclTax = Pay.euros(6000)
        second.lineNumber = 2
        second.quantity = Quantity(1)
        second.totalInclTax = Pay.euros(4000)
        order.lines.append(second)
        return order
    }

    static func cancel(_ id: String, _ lines: [(Int, Int64)], at second: Int = 5) -> ERPSalesOrderCancellation {
        ERPSalesOrderCancellation(requestID: EventID(id), externalReference: "WEB-1", reason: .customerRequest,
                                  lines: lines.map { OrderLineQuantity(lineNumber: $0.0, sku: "SKU-1", quantity: Quantity($0.1)) }, requestedAt: Pay.at(second))
    }

    enum Event { case cancel(String, [(Int, Int64)]), capture(Int64), invoice(Int64), revision(Int64) }

    /// (what happens after the 100.00 sales order, the total the letterer expects, exceptions,
    /// whether settled: nil where an overpayment leaves it to a person)
    static let table: [(String, [Event], Int64, [ExceptionKind], Bool?)] = [
        ("one unit of line 1 cancelled, 70.00 captured and invoiced: settled", [.cancel("c1", [(1, 1)]), .capture(7000), .invoice(7000)], 7000, [], true),
        ("line 2 cancelled, 60.00 captured and invoiced: settled", [.cancel("c1", [(2, 1)]), .capture(6000), .invoice(6000)], 6000, [], true),
        ("captured 100.00, one unit cancelled, invoiced 70.00: overpayment of 30.00", [.capture(10000), .cancel("c1", [(1, 1)]), .invoice(7000)], 7000, [.overpayment], nil),
        ("invoiced before the cancellation is read: overpayment once the total follows", [.capture(10000), .invoice(7000), .cancel("c1", [(1, 1)])], 7000, [.overpayment], nil),
        ("the same cancellation twice: taken off once", [.cancel("c1", [(1, 1)]), .cancel("c1", [(1, 1)]), .capture(7000), .invoice(7000)], 7000, [], true),
        ("two cancellations of line 1: both units off", [.cancel("c1", [(1, 1)]), .cancel("c2", [(1, 1)]), .capture(4000), .invoice(4000)], 4000, [], true),
        ("more cancelled than ordered: the line only", [.cancel("c1", [(1, 5)]), .capture(4000), .invoice(4000)], 4000, [], true),
        ("a later revision, already without the line, replaces the total", [.cancel("c1", [(2, 1)]), .revision(5500), .capture(5500), .invoice(5500)], 5500, [], true),
        ("an unknown line: nothing taken off", [.cancel("c1", [(9, 1)]), .capture(10000), .invoice(10000)], 10000, [], true),
    ]

    @Test("the expected total follows line cancellations", arguments: table.indices)
    func follows(_ row: Int) throws {
        let (name, events, total, exceptions, settled) = Self.table[row]
        let bench = LettererBench()
        try bench.send(Self.salesOrder())
        for (second, event) in events.enumerated() {
            switch event {
            case let .cancel(id, lines): try bench.send(Self.cancel(id, lines, at: second + 1))
            case let .capture(cents): try bench.send(Pay.payment("p\(second)", .card, cents, at: second + 1))
            case let .invoice(cents): try bench.send(Pay.invoice("FA-\(second)", cents, at: second + 1))
            case let .revision(cents): try bench.send(Pay.salesOrder(cents, revision: 2))
            }
        }
        try bench.wait(minutes: bench.pastTheOverpaymentWait)
        let account = try #require(bench.account())
        #expect(account.orderTotal == Pay.euros(total), "\(name)")
        #expect(bench.exceptions.map(\.kind) == exceptions, "\(name)")
        if let settled { #expect(account.isSettled == settled, "\(name)") }
        if exceptions == [.overpayment] {
            #expect(bench.proposals.map(\.amount) == [Pay.euros(3000)], "\(name): a refund of the difference is proposed")
        }
    }
}
