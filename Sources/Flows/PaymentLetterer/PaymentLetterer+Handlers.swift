import BusSchema

extension PaymentLetterer {
    /// Payments, invoices and credit notes, and sales orders (cancellation and return requests
    /// are read and ignored: they say nothing about money), keyed by order number.
    public var handlers: [FlowHandler] {
        [
            FlowHandler(Topics.shopPayments, SitePayment.self),
            FlowHandler(Topics.erpInvoices, ERPInvoice.self),
            FlowHandler(Topics.erpInvoices, ERPCreditNote.self),
            FlowHandler(Topics.erpSalesOrders, ERPSalesOrder.self),
            FlowHandler(Topics.erpSalesOrders, ERPSalesOrderCancellation.self),
            FlowHandler(Topics.erpSalesOrders, ERPReturnRequest.self),
        ]
    }

    /// Receipts, lettering entries and store credit, and exceptions.
    public var writes: [TopicMessage] {
        [
            TopicMessage(Topics.erpReceipts, Receipt.self),
            TopicMessage(Topics.erpLettering, LetteringEntry.self),
            TopicMessage(Topics.erpLettering, StoreCreditIssued.self),
            TopicMessage(Topics.exceptions, BusinessException.self),
        ]
    }
}
