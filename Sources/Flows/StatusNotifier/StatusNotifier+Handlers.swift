import BusSchema

extension StatusNotifier {
    /// ERP statuses, invoices and credit notes, the site's orders (changes, cancellations and
    /// returns read and ignored), and store credit and gift cards issued (the rest of
    /// `erp.lettering` read and ignored), keyed by order number.
    public var handlers: [FlowHandler] {
        [
            FlowHandler(Topics.erpOrderStatus, ERPOrderStatus.self),
            FlowHandler(Topics.erpInvoices, ERPInvoice.self),
            FlowHandler(Topics.erpInvoices, ERPCreditNote.self),
            FlowHandler(Topics.shopOrders, SiteOrder.self),
            FlowHandler(Topics.shopOrders, OrderChange.self),
            FlowHandler(Topics.shopOrders, CancellationRequest.self),
            FlowHandler(Topics.shopOrders, ReturnRequest.self),
            FlowHandler(Topics.erpLettering, LetteringEntry.self),
            FlowHandler(Topics.erpLettering, StoreCreditIssued.self),
            FlowHandler(Topics.erpLettering, GiftCardIssued.self),
            FlowHandler(Topics.erpLettering, PaymentOffset.self),
            FlowHandler(Topics.erpLettering, RefundProposal.self),
        ]
    }

    /// Tracking updates and customer notifications.
    public var writes: [TopicMessage] {
        [TopicMessage(Topics.shopOrderTracking, TrackingUpdate.self), TopicMessage(Topics.shopNotifications, CustomerNotification.self)]
    }
}
