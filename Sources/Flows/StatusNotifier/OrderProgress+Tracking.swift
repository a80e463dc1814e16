import BusSchema

extension OrderProgress {
    /// What the site's order page should show now; nil before any ERP status.
    ///
    /// The delay is the first open problem; the expected delivery is a stock-out's latest
    /// expected date when one holds the order up, else, once shipped, the newest parcel's
    /// departure plus its carrier's transit days when the rules know them.
    public func picture(rules: StatusNotifierRules) -> TrackingPicture? {
        guard let status else { return nil }
        let delay = problems.first?.kind
        var expected: LocalDate?
        if status == .partiallyShipped || status == .shipped, let shipment = newestShipment {
            expected = rules.expectedDelivery(carrier: shipment.carrier, shippedAt: shipment.shippedAt)
        }
        if let restock = problems.filter({ $0.kind == .stockOut }).compactMap(\.expectedOn).max() { expected = restock }
        return TrackingPicture(status: Self.shown(status), shipments: shipments, delay: delay, expectedDeliveryOn: expected,
                               documents: documents.isEmpty ? nil : documents, returns: returns)
    }

    /// The tracking update for `picture`, with the current sequence and time.
    public func tracking(_ picture: TrackingPicture, order: OrderNumber) -> TrackingUpdate? {
        guard let updatedAt else { return nil }
        return TrackingUpdate(orderNumber: order, status: picture.status, sequence: max(sequence, 1), shipments: picture.shipments,
                              delay: picture.delay, expectedDeliveryOn: picture.expectedDeliveryOn, documents: picture.documents,
                              updatedAt: updatedAt, siteAccountID: enteredInERP == true && !orderKnown ? siteAccountID : nil,
                              returns: picture.returns)
    }

    /// The ERP's status as customers read it.
    public static func shown(_ status: OrderStatus) -> TrackingStatus {
        switch status {
        case .validated: .confirmed
        case .inPreparation: .inPreparation
        case .partiallyShipped: .partiallyShipped
        case .shipped: .shipped
        case .delivered: .delivered
        case .cancelled: .cancelled
        }
    }
}
