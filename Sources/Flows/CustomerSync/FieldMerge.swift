import BusSchema

/// What customer-sync remembers of a link between two syncs, to tell a side's own change
/// from an echo of the bus's update and from a value still on its way.
public struct SyncMemory: Codable, Sendable, Equatable {
    /// Per field, the value both sides last showed at once (the last sync), for the fields in `agreedFields`.
    public var agreed = CustomerFields()
    /// The fields both sides have shown alike at least once, sorted (a list, so the state's
    /// JSON is the same bytes every time).
    public var agreedFields: [CustomerField] = []
    /// What the site showed at the last sync, for fields never agreed.
    public var siteSeen = CustomerFields()
    /// What the ERP showed at the last sync, for fields never agreed.
    public var erpSeen = CustomerFields()
    /// The values the bus decided last time.
    public var merged = CustomerFields()
    /// What the bus last told the site (nil: never); a field absent from it was sent as "none".
    public var sentToSite: CustomerFields?
    /// What the bus last told the ERP (nil: never); a field absent from it was sent as "none".
    public var sentToERP: CustomerFields?

    /// An empty memory: nothing synced yet.
    public init() {}

    /// The value a side's `value` of `field` is compared with to tell whether that side changed it.
    func baseline(_ field: CustomerField, seen: CustomerFields) -> FieldValue? {
        agreedFields.contains(field) ? agreed[field] : seen[field]
    }
}

/// The ownership rule over one link: given what each side shows now, the value the bus
/// decides for every field, or the fields a person must decide.
///
/// Per field: equal values are agreed. Otherwise an owned field takes its owner's value,
/// whether or not the other side changed it too. A shared field takes the value of the side
/// that changed it since the last sync, where showing what the bus last sent it is no change
/// (an echo); if both changed it, the later `updated_at` wins, and two `updated_at` within
/// the ordering tolerance are a conflict; if neither changed it, the value the bus decided
/// before stands (it is on its way). Before the first sync every value counts as a change.
/// A field only one side reports takes that side's value when that side may decide it.
public enum FieldMerge {
    /// The result of a merge.
    public enum Outcome: Equatable, Sendable {
        /// Every field decided.
        case merged(CustomerFields)
        /// Shared fields both sides changed too close together to order.
        case conflict([CustomerField])
    }

    /// What one side shows: its values and when it last changed.
    public struct Side: Sendable {
        /// The side's values.
        public var fields: CustomerFields
        /// The side's `updated_at`.
        public var updatedAt: Instant

        /// A side's view.
        public init(fields: CustomerFields, updatedAt: Instant) {
            self.fields = fields
            self.updatedAt = updatedAt
        }
    }

    /// Decides every field of a link of `kind`; `memory` is nil before the first sync.
    public static func merge(site: Side, erp: Side, memory: SyncMemory?, kind: CustomerKind, rules: CustomerSyncRules) -> Outcome {
        var merged = CustomerFields()
        var conflicts: [CustomerField] = []
        for field in CustomerField.allCases {
            let owner = rules.owner(of: field, kind: kind)
            switch (CustomerField.reportedBySite.contains(field), CustomerField.reportedByERP.contains(field)) {
            case (false, false):
                continue
            case (true, false):
                merged[field] = owner == .erp ? memory?.merged[field] : site.fields[field]
            case (false, true):
                merged[field] = owner == .site ? memory?.merged[field] : erp.fields[field]
            case (true, true):
                let s = site.fields[field], e = erp.fields[field]
                if s == e { merged[field] = s; continue }
                switch owner {
                case .erp: merged[field] = e
                case .site: merged[field] = s
                case .shared:
                    let siteChanged = memory.map { memory in
                        s != memory.baseline(field, seen: memory.siteSeen)
                            && !echoes(s, of: field, sent: memory.sentToSite, carried: CustomerField.carriedToSite(kind))
                    } ?? true
                    let erpChanged = memory.map { memory in
                        e != memory.baseline(field, seen: memory.erpSeen)
                            && !echoes(e, of: field, sent: memory.sentToERP, carried: CustomerField.carriedToERP)
                    } ?? true
                    switch (siteChanged, erpChanged) {
                    case (true, false): merged[field] = s
                    case (false, true): merged[field] = e
                    case (false, false): merged[field] = memory?.merged[field]
                    case (true, true):
                        let apart = millisecondsBetween(site.updatedAt, erp.updatedAt)
                        if abs(apart) <= Int64(rules.orderingToleranceMs) {
                            conflicts.append(field)
                        } else {
                            merged[field] = apart > 0 ? s : e
                        }
                    }
                }
            }
        }
        return conflicts.isEmpty ? .merged(merged) : .conflict(conflicts)
    }

    /// The memory after a sync that decided `merged` while the sides showed `site` and `erp`.
    public static func remember(_ merged: CustomerFields, site: CustomerFields, erp: CustomerFields, after memory: SyncMemory?) -> SyncMemory {
        var next = memory ?? SyncMemory()
        next.merged = merged
        next.siteSeen = site
        next.erpSeen = erp
        for field in CustomerField.reportedBySite.intersection(CustomerField.reportedByERP) where site[field] == erp[field] {
            next.agreed[field] = site[field]
            if !next.agreedFields.contains(field) { next.agreedFields.append(field) }
        }
        next.agreedFields.sort()
        return next
    }

    /// Whether `value` is what the bus last sent that side for `field`.
    static func echoes(_ value: FieldValue?, of field: CustomerField, sent: CustomerFields?, carried: Set<CustomerField>) -> Bool {
        guard let sent, carried.contains(field) else { return false }
        return sent[field] == value
    }

    /// `a - b` in milliseconds.
    static func millisecondsBetween(_ a: Instant, _ b: Instant) -> Int64 {
        (a.secondsSinceEpoch - b.secondsSinceEpoch) * 1000 + Int64(a.nanoseconds - b.nanoseconds) / 1_000_000
    }
}
