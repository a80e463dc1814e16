import BusSchema

/// What order-ingest holds of a person is each of their orders as placed: the customer block
/// (e-mail, names) and the billing and delivery addresses, and the delivery addresses of the
/// changes taken in or waiting for their payment. An erasure anonymises them in every order of the erased site account; what the order is (lines, totals,
/// stage, what was sent) stays, so later statuses, payments and returns are handled as before.
/// A site order read after the erasure (its partition behind) is anonymised as it is stored.
extension OrderIngest {
    /// Resyncs are not offered; an erasure anonymises the person's orders of the partition.
    public func control(_ request: FlowControl, state: inout FlowState<OrderIngestState>, tables: any TableLookup) -> [FlowOutput] {
        switch request {
        case .resync:
            return []
        case .erase(let notice):
            for key in state.keys {
                guard case .order(let record)? = state[key], Self.belongs(record, to: notice) else { continue }
                let anonymised = Self.anonymised(record)
                if anonymised != record { state[key] = .order(anonymised) }
            }
            return []
        }
    }

    /// Anonymises the order under `key` when `bus.erasures` names its customer.
    static func forgetErased(in state: inout FlowState<OrderIngestState>, key: String, tables: any TableLookup) {
        guard case .order(let record)? = state[key], let account = record.placed?.customer.siteAccountID,
              tables.latest(ErasureNotice.self, in: Topics.erasures, key: account.rawValue) != nil else { return }
        let anonymised = anonymised(record)
        if anonymised != record { state[key] = .order(anonymised) }
    }

    /// Whether the order was placed by the erased person.
    static func belongs(_ record: OrderRecord, to notice: ErasureNotice) -> Bool {
        record.placed?.customer.siteAccountID == notice.siteAccountID
    }

    /// The record with the order as placed and every change anonymised.
    static func anonymised(_ record: OrderRecord) -> OrderRecord {
        var record = record
        record.placed = record.placed?.anonymised
        record.changes = record.changes.map(\.anonymised)
        record.unpaidChanges = record.unpaidChanges?.map(\.anonymised)
        return record
    }
}
