import BusSchema

/// stock-broadcaster: ERP stock movements in, the availability the site shows out.
///
/// The hot flow: each movement costs one state lookup, a sum over a few warehouses and a
/// comparison. Availability is published only when what the site sees changes, and as a
/// `.coalesced` output, so a burst of movements on one SKU yields a handful of publications
/// carrying the final value; the runtime commits the burst's inputs only after the
/// publication that covers them.
///
/// Idempotent under redelivery: a movement whose figures (or later ones) are already in the
/// state changes nothing and produces nothing; the state then says the availability it led
/// to was delivered.
public struct StockBroadcaster: Flow {
    /// Per SKU: each counted warehouse's latest figures and what the site was last told.
    public typealias State = SKUStock

    /// "stock-broadcaster".
    public let name = WorkerName.stockBroadcaster.rawValue
    /// `erp.stock` (the state's partitioning), `bus.stock-claims` (co-partitioned by SKU) and
    /// the live queries `shop.availability-queries`.
    public let inputs = [Topics.erpStock, Topics.stockClaims, Topics.availabilityQueries]
    /// The rules this instance applies.
    public let rules: StockBroadcasterRules

    /// A flow applying `rules`.
    public init(rules: StockBroadcasterRules = .defaults) {
        self.rules = rules
    }

    /// Takes in one warehouse's figures; returns the SKU's availability when what the site
    /// sees changed. An order's claim is kept for the answers to queries, and publishes
    /// nothing. Throws a `FlowRejection` for a message that is neither (the runtime has
    /// checked that the record key is its SKU).
    public func handle(_ input: FlowInput, state: inout FlowState<SKUStock>, tables: any TableLookup) throws -> [FlowOutput] {
        if let claim = input.message(as: StockClaim.self) {
            var stock = state[claim.sku.rawValue] ?? SKUStock()
            if stock.record(claim) { state[claim.sku.rawValue] = stock }
            return []
        }
        guard let level = input.message(as: ERPStockLevel.self) else {
            throw FlowRejection(field: nil, reason: "stock-broadcaster reads erp.stock-level and bus.stock-claim messages only, not \(input.envelope.type)")
        }
        guard rules.counts(level.warehouse) else { return [] }
        let sku = level.sku.rawValue
        var stock = state[sku] ?? SKUStock()
        guard try stock.record(level) else { return [] }
        let shown = try rules.shown(stock)
        let changed = shown != stock.shown
        stock.shown = shown
        state[sku] = stock
        guard changed else { return [] }
        return [publication(of: shown, sku: level.sku, measuredAt: stock.measuredAt ?? level.measuredAt)]
    }

    /// Answers a resync by publishing again what the site was last told of every SKU of the
    /// partition, in SKU order.
    public func control(_ request: FlowControl, state: inout FlowState<SKUStock>, tables: any TableLookup) -> [FlowOutput] {
        switch request {
        case .resync(let keys):
            return state.keys.filter { keys?.contains($0) ?? true }.compactMap { sku in
                guard let stock = state[sku], let shown = stock.shown, let measuredAt = stock.measuredAt else { return nil }
                return publication(of: shown, sku: SKU(sku), measuredAt: measuredAt)
            }
        case .erase:
            return []  // SKUs and prices only: nothing personal to erase
        }
    }

    private func publication(of shown: ShownAvailability, sku: SKU, measuredAt: Instant) -> FlowOutput {
        FlowOutput(topic: Topics.shopAvailability, key: sku.rawValue,
                   message: shown.message(sku: sku, updatedAt: measuredAt), delivery: .coalesced)
    }
}
