import BusSchema

extension StockBroadcaster {
    /// ERP stock levels and orders' claims, keyed by SKU; availability queries, keyed by the asker.
    public var handlers: [FlowHandler] {
        [FlowHandler(Topics.erpStock, ERPStockLevel.self), FlowHandler(Topics.stockClaims, StockClaim.self)] + requests.map(\.handler)
    }

    /// The availability the site shows, and the answers to its queries.
    public var writes: [TopicMessage] { [TopicMessage(Topics.shopAvailability, Availability.self)] + requests.map(\.answer) }

    /// A cart's availability, answered from the state.
    public var requests: [RequestRoute] {
        [RequestRoute(Topics.availabilityQueries, AvailabilityQuery.self, answer: Topics.availabilityAnswers, AvailabilityAnswer.self)]
    }
}
