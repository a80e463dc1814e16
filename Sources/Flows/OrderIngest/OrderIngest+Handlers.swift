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
            // Keyed by the asker's reply key, which no field of the message holds.
            FlowHandler(Topics.priceQueries, PriceQuery.self, key: .flowDefined),
            FlowHandler(Topics.erpPriceAnswers, ERPPriceAnswer.self, key: .flowDefined),
        ]
    }

    /// Sales orders, cancellations and return requests for the ERP, the acceptance for the
    /// site, exceptions, the claims of orders sent on stock, what orders on account owe, and
    /// answers to operators.
    public var writes: [TopicMessage] {
        [
            TopicMessage(Topics.erpSalesOrders, ERPSalesOrder.self),
            TopicMessage(Topics.erpSalesOrders, ERPSalesOrderCancellation.self),
            TopicMessage(Topics.erpSalesOrders, ERPReturnRequest.self),
            TopicMessage(Topics.orderAcceptance, OrderAcceptance.self),
            TopicMessage(Topics.exceptions, BusinessException.self),
            TopicMessage(Topics.stockClaims, StockClaim.self),
            TopicMessage(Topics.accountExposure, AccountOrderExposure.self),
            TopicMessage(Topics.erpPriceQueries, ERPPriceQuery.self),
            TopicMessage(Topics.priceAnswers, PriceAnswer.self),
            TopicMessage(Topics.controlReplies, OrderQueryAnswer.self),
            TopicMessage(Topics.controlReplies, OrderCommandOutcome.self),
        ]
    }
}
