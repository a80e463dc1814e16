import BusSchema

extension OrderIngest {
    /// The site's orders and requests, its payments and the ERP's statuses, keyed by order number.
    public var handlers: [FlowHandler] {
        [
            FlowHandler(Topics.shopOrders, SiteOrder.self),
            FlowHandler(Topics.shopOrders, OrderChange.self),
            FlowHandler(Topics.shopOrders, CancellationRequest.self),
            FlowHandler(Topics.shopOrders, ReturnRequest.self),
            FlowHandler(Topics.shopPayments, SitePayment.self),
            FlowHandler(Topics.erpOrderStatus, ERPOrderStatus.self),
        ]
    }

    /// Sales orders, cancellations and return requests for the ERP, the acceptance for the
    /// site, exceptions, and the claims of orders sent on stock.
    public var writes: [TopicMessage] {
        [
            TopicMessage(Topics.erpSalesOrders, ERPSalesOrder.self),
            TopicMessage(Topics.erpSalesOrders, ERPSalesOrderCancellation.self),
            TopicMessage(Topics.erpSalesOrders, ERPReturnRequest.self),
            TopicMessage(Topics.shopOrderTracking, OrderAcceptance.self),
            TopicMessage(Topics.exceptions, BusinessException.self),
            TopicMessage(Topics.stockClaims, StockClaim.self),
        ]
    }
}
