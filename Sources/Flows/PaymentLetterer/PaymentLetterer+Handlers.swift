import BusSchema

extension PaymentLetterer {
    /// Payments, invoices and credit notes, sales orders and whole-order cancellations (line
    /// cancellations and return requests are read and ignored: the next revision or credit note
    /// says what they change in money), keyed by order number; and the internal re-keying
    /// topic, keyed by credit code or order number, which the flow checks itself.
    public var handlers: [FlowHandler] {
        [
            FlowHandler(Topics.shopPayments, SitePayment.self),
            FlowHandler(Topics.erpInvoices, ERPInvoice.self),
            FlowHandler(Topics.erpInvoices, ERPCreditNote.self),
            FlowHandler(Topics.erpSalesOrders, ERPSalesOrder.self),
            FlowHandler(Topics.erpSalesOrders, ERPSalesOrderCancellation.self),
            FlowHandler(Topics.erpSalesOrders, ERPReturnRequest.self),
            FlowHandler(CreditRoute.topic, StoreCreditIssued.self, key: .flowDefined),
            FlowHandler(CreditRoute.topic, GiftCardIssued.self, key: .flowDefined),
            FlowHandler(CreditRoute.topic, StoreCreditSpend.self, key: .flowDefined),
            FlowHandler(CreditRoute.topic, StoreCreditDecision.self, key: .flowDefined),
        ]
    }

    /// Receipts, lettering entries and store credit, and exceptions.
    public var writes: [TopicMessage] {
        [
            TopicMessage(Topics.erpReceipts, Receipt.self),
            TopicMessage(Topics.erpLettering, LetteringEntry.self),
            TopicMessage(Topics.erpLettering, StoreCreditIssued.self),
            TopicMessage(Topics.erpLettering, GiftCardIssued.self),
            TopicMessage(Topics.erpLettering, PaymentOffset.self),
            TopicMessage(Topics.erpLettering, RefundProposal.self),
            TopicMessage(Topics.shopStoreCredits, StoreCreditDecision.self),
            TopicMessage(Topics.shopAccountInvoices, AccountInvoice.self),
            TopicMessage(CreditRoute.topic, StoreCreditIssued.self),
            TopicMessage(CreditRoute.topic, GiftCardIssued.self),
            TopicMessage(CreditRoute.topic, StoreCreditSpend.self),
            TopicMessage(CreditRoute.topic, StoreCreditDecision.self),
            TopicMessage(Topics.exceptions, BusinessException.self),
        ]
    }
}
