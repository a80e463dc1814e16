import BusSchema

/// Order progress is monotonic: validated < in preparation < partially shipped < shipped <
/// delivered, and cancelled is final.
public enum Progression {
    /// The place of `status` in the order of progress; cancelled is outside it.
    public static func rank(_ status: OrderStatus) -> Int {
        switch status {
        case .validated: 0
        case .inPreparation: 1
        case .partiallyShipped: 2
        case .shipped: 3
        case .delivered: 4
        case .cancelled: 5
        }
    }

    /// The status an order shows once a newer ERP status `incoming` arrives.
    ///
    /// Guarantees: never moves backwards (a lower status keeps the current one); cancelled,
    /// once shown, stays; a cancellation after delivery is ignored (a delivered order is
    /// returned, not cancelled); a cancellation after a partial shipment cancels only what was
    /// never shipped (order-ingest asks for no more), so the order stays partly shipped, never
    /// "cancelled" with a parcel in transit.
    public static func next(current: OrderStatus?, incoming: OrderStatus) -> OrderStatus {
        guard let current else { return incoming }
        switch (current, incoming) {
        case (.cancelled, _): return .cancelled
        case (.delivered, .cancelled), (.partiallyShipped, .cancelled): return current
        case (_, .cancelled): return .cancelled
        default: return rank(incoming) > rank(current) ? incoming : current
        }
    }

    /// Whether nothing can follow `status`: problems no longer matter.
    public static func isFinal(_ status: OrderStatus) -> Bool {
        status == .delivered || status == .cancelled
    }
}
