import BusSchema
import Foundation
import StatusNotifierFlow
import Testing

/// "Every return has a status the site sees: received, accepted, refused, refunded": from the
/// site's request, the ERP's statuses and the return's credit note, on `shop.order-tracking`.
@Suite("status-notifier: return statuses")
struct ReturnStatusTests {
    enum Step: Sendable, CustomStringConvertible {
        case requested(String), erp(Int, String, ReturnStatus), creditNote(String, String)
        var description: String {
            switch self {
            case let .requested(number): "site requests \(number)"
            case let .erp(sequence, number, status): "ERP #\(sequence): \(number) \(status.rawValue)"
            case let .creditNote(number, returned): "credit note \(number) for \(returned)"
            }
        }
    }

    @Test("the site sees each return's status, which only moves forward", arguments: [
        ([Step.requested("RMA-1")], ["RMA-1 requested"]),
        ([Step.requested("RMA-1"), .erp(3, "RMA-1", .received)], ["RMA-1 requested", "RMA-1 received"]),
        ([Step.requested("RMA-1"), .erp(3, "RMA-1", .received), .erp(4, "RMA-1", .accepted), .creditNote("AV-1", "RMA-1")],
         ["RMA-1 requested", "RMA-1 received", "RMA-1 accepted", "RMA-1 refunded"]),
        ([Step.requested("RMA-1"), .erp(3, "RMA-1", .refused)], ["RMA-1 requested", "RMA-1 refused"]),
        ([Step.erp(3, "RMA-1", .accepted), .erp(4, "RMA-1", .received), .requested("RMA-1")], ["RMA-1 accepted"]),
        ([Step.requested("RMA-1"), .requested("RMA-2"), .erp(3, "RMA-2", .received)], ["RMA-1 requested", "RMA-1 requested, RMA-2 requested", "RMA-1 requested, RMA-2 received"]),
    ] as [([Step], [String])])
    func statuses(_ steps: [Step], _ shown: [String]) throws {
        let bench = NotifierBench()
        try bench.send(Status.siteOrder())
        try bench.send(Status.status(1, .delivered))
        let before = bench.tracking.count
        for step in steps {
            switch step {
            case let .requested(number):
                try bench.send(ReturnRequest(returnNumber: ReturnNumber(number), orderNumber: "WEB-1", requestedAt: Status.at(100),
                                             lines: [ReturnLine(lineNumber: 1, sku: "TSHIRT-BLU-M", quantity: Quantity(1), reason: .damaged)],
                                             refundMethod: .originalPayment))
            case let .erp(sequence, number, status):
                var update = Status.status(sequence, .delivered)
                update.returns = [ReturnProgress(returnNumber: ReturnNumber(number), status: status, updatedAt: Status.at(100 + sequence))]
                try bench.send(update)
            case let .creditNote(number, returned):
                var note = MoneyBackNotificationTests.creditNote(number, 1990, refund: .originalPayment, at: 120)
                note.returnNumber = ReturnNumber(returned)
                try bench.send(note)
            }
        }
        let pages = bench.tracking.dropFirst(before).map { update in
            (update.returns ?? []).map { "\($0.returnNumber) \($0.status.rawValue)" }.joined(separator: ", ")
        }
        #expect(pages == shown)
        for update in bench.tracking { #expect(Status.codec.problems(TrackingUpdate.self, in: Status.codec.encode(update)).isEmpty) }
    }
}
