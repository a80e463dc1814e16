extension MessageRegistry {
    /// Every message type of the bus's public contract, in every version the code knows.
    public static let standard = MessageRegistry([
        // Customers
        ERPCustomerAccount.self, SiteCustomerAccount.self, ErasureRequest.self,
        ERPCustomerUpdate.self, SiteCustomerUpdate.self, IdentityLink.self,
        // Articles and stock
        ERPArticleV1.self, ERPArticle.self, CatalogEntry.self, CatalogUnpublish.self,
        ERPStockLevel.self, Availability.self, StockClaim.self,
        // Live queries
        AvailabilityQuery.self, AvailabilityAnswer.self,
        PriceQuery.self, ERPPriceQuery.self, ERPPriceAnswer.self, PriceAnswer.self,
        // Orders
        SiteOrder.self, OrderChange.self, CancellationRequest.self, ReturnRequest.self,
        ERPSalesOrder.self, ERPSalesOrderCancellation.self, ERPReturnRequest.self, OrderAcceptanceV1.self, OrderAcceptanceV2.self, OrderAcceptance.self,
        // Payments
        SitePayment.self, ERPInvoice.self, ERPCreditNote.self, Receipt.self, LetteringEntry.self, StoreCreditIssued.self,
        GiftCardIssued.self, StoreCreditSpend.self, StoreCreditDecision.self, RefundProposal.self, AccountInvoice.self, AccountOrderExposure.self, PaymentOffset.self,
        // Order status
        ERPOrderStatus.self, TrackingUpdate.self, CustomerNotification.self,
        // The bus's own
        BusinessException.self, ResyncRequest.self, ErasureNotice.self,
        OrderQueryV1.self, OrderQuery.self, OrderQueryAnswerV1.self, OrderQueryAnswer.self, OrderCommand.self, OrderCommandOutcome.self,
    ])
}
