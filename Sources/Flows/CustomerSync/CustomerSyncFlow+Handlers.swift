import BusSchema

extension CustomerSyncFlow {
    /// The two sides' accounts, keyed by their own ids; and the internal re-keying topic,
    /// keyed by meeting point (`site:<id>`, `account:<code>`, `email:<pseudonym>`), which the
    /// flow checks itself.
    public var handlers: [FlowHandler] {
        [
            FlowHandler(Topics.erpCustomers, ERPCustomerAccount.self),
            FlowHandler(Topics.shopCustomers, SiteCustomerAccount.self),
            FlowHandler(Topics.shopCustomers, ErasureRequest.self),
            FlowHandler(CustomerRoute.topic, ERPCustomerAccount.self, key: .flowDefined),
            FlowHandler(CustomerRoute.topic, SiteCustomerAccount.self, key: .flowDefined),
            FlowHandler(CustomerRoute.topic, ErasureRequest.self, key: .flowDefined),
            FlowHandler(CustomerRoute.topic, IdentityLink.self, key: .flowDefined),
        ]
    }

    /// Updates for both sides, identity links, the re-keyed records and exceptions.
    public var writes: [TopicMessage] {
        [
            TopicMessage(Topics.erpCustomerUpdates, ERPCustomerUpdate.self),
            TopicMessage(Topics.shopCustomerUpdates, SiteCustomerUpdate.self),
            TopicMessage(Topics.customerIdentity, IdentityLink.self),
            TopicMessage(CustomerRoute.topic, ERPCustomerAccount.self),
            TopicMessage(CustomerRoute.topic, SiteCustomerAccount.self),
            TopicMessage(CustomerRoute.topic, ErasureRequest.self),
            TopicMessage(CustomerRoute.topic, IdentityLink.self),
            TopicMessage(Topics.exceptions, BusinessException.self),
        ]
    }
}
