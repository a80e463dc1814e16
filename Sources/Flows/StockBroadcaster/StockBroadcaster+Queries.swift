import BusSchema

/// Availability queries, answered from the state without the ERP: per SKU, what the rules
/// would publish for the stock figures less what orders in flight hold (claims), with the
/// next receipt's date when out of stock. A SKU whose figures this instance does not hold
/// (never seen, or its partition held by another instance) is `unknown`.
extension StockBroadcaster {
    public func answer(_ request: FlowRequest, state: StateLookup<SKUStock>, tables: any TableLookup) throws -> any BusMessage {
        guard let query = request.input.message(as: AvailabilityQuery.self) else {
            throw FlowRejection(field: nil, reason: "\(Topics.availabilityQueries) carries \(AvailabilityQuery.messageType) messages only")
        }
        guard !request.isExpired else {
            return AvailabilityAnswer(status: .timeout, items: [], answeredAt: request.now,
                                      reason: "the deadline passed before stock-broadcaster read the query")
        }
        let items = try query.skus.map { sku throws(SchemaError) in
            guard case .value(let stock) = state[sku.rawValue] else { return AvailabilityItem(sku: sku, status: .unknown) }
            return try item(sku, stock)
        }
        return AvailabilityAnswer(status: .answered, items: items, answeredAt: request.now)
    }

    /// One SKU's availability less its claims.
    func item(_ sku: SKU, _ stock: SKUStock) throws(SchemaError) -> AvailabilityItem {
        let inFlight = try stock.claimed()
        guard !stock.warehouses.isEmpty else { return AvailabilityItem(sku: sku, status: .unknown, inFlight: inFlight) }
        let shown = try rules.shown(netAvailable: stock.netAvailable().subtracting(inFlight),
                                    backorderAllowed: stock.backorderAllowed, nextReceipt: stock.nextReceipt)
        return AvailabilityItem(sku: sku, status: QueriedAvailability(shown.status), quantity: shown.quantity,
                                nextAvailableOn: shown.nextAvailableOn, onOrder: shown.onOrder ? true : nil, inFlight: inFlight)
    }
}
