import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// "A return may ask for an exchange (a new order line at no charge linked to the return) as
/// well as refund or store credit": the exchange reaches the ERP with the return it belongs to.
@Suite("order-ingest: returns with an exchange")
struct ReturnExchangeTests {
    @Test("the return's exchange lines reach the ERP with it, beside its refund method", arguments: [
        ([ExchangeLine(returnedLineNumber: 1, sku: "MUG", quantity: Quantity(1))], RefundMethod.originalPayment),
        ([ExchangeLine(returnedLineNumber: 1, sku: "MUG-RED", quantity: Quantity(2))], .storeCredit),
        ([ExchangeLine]?.none, .originalPayment),
    ] as [([ExchangeLine]?, RefundMethod)])
    func passedOn(_ exchange: [ExchangeLine]?, _ refund: RefundMethod) throws {
        let bench = try OrderRequestsTests.sentOrder(status: .shipped, shipped: [(1, "MUG", "3")])
        let request = ReturnRequest(returnNumber: "RMA-1", orderNumber: "WEB-1", requestedAt: Shop.at(minutes: 2000),
                                    lines: [ReturnLine(lineNumber: 1, sku: "MUG", quantity: Quantity(2), reason: .wrongItem)],
                                    refundMethod: refund, exchange: exchange)
        #expect(Shop.codec.problems(ReturnRequest.self, in: Shop.codec.encode(request)).isEmpty)
        let erp = try #require(try bench.handle(request, key: "WEB-1").messages(ERPReturnRequest.self).first)
        #expect(erp.exchange == exchange)
        #expect(erp.refundMethod == refund)
        #expect(erp.returnNumber == "RMA-1", "linked to the return")
    }

    @Test("an exchange must replace a line the return names", arguments: [(1, true), (2, false)])
    func replacesReturnedLine(_ line: Int, _ valid: Bool) throws {
        let request = ReturnRequest(returnNumber: "RMA-1", orderNumber: "WEB-1", requestedAt: Shop.at(minutes: 2000),
                                    lines: [ReturnLine(lineNumber: 1, sku: "MUG", quantity: Quantity(1), reason: .damaged)], refundMethod: .originalPayment,
                                    exchange: [ExchangeLine(returnedLineNumber: line, sku: "MUG", quantity: Quantity(1))])
        let problems = Shop.codec.problems(ReturnRequest.self, in: Shop.codec.encode(request))
        #expect(problems.isEmpty == valid)
        if !valid { #expect(problems.map(\.path) == ["$.exchange[0].returned_line_number"]) }
    }
}
