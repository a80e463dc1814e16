import BusSchema

extension StatusNotifier {
    /// ERP statuses, invoices and credit notes, the site's orders (changes, cancellations and
    /// returns read and ignored), and store credit and gift cards issued (the rest of
    /// `erp.lettering` read and ignored), and order-ingest's decisions, keyed by order number.
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
            FlowHandler(Topics.orderAcceptance, OrderAcceptance.self),
        ]
    }

    /// The order's page (order-ingest's decision, then tracking updates), customer
    /// notifications, and the exception of a site order that never came.
    public var writes: [TopicMessage] {
        [
            TopicMessage(Topics.shopOrderTracking, OrderAcceptance.self), TopicMessage(Topics.shopOrderTracking, TrackingUpdate.self),
            TopicMessage(Topics.shopNotifications, CustomerNotification.self), TopicMessage(Topics.exceptions, BusinessException.self),
        ]
    }
}
