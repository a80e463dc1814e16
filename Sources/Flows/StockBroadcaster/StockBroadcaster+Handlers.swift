import BusSchema

extension StockBroadcaster {
    /// ERP stock levels, keyed by SKU.
    public var handlers: [FlowHandler] { [FlowHandler(Topics.erpStock, ERPStockLevel.self)] }

    /// The availability the site shows.
    public var writes: [TopicMessage] { [TopicMessage(Topics.shopAvailability, Availability.self)] }
}
