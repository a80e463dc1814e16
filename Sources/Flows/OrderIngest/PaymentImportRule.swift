import BusSchema

/// When an order paid with one payment method may go to the ERP.
public enum PaymentImportRule: String, Sendable, Equatable, Codable, CaseIterable {
    /// At once, whatever the payment's state.
    case always
    /// Once the payment is authorised (or paid).
    case whenAuthorised = "when_authorised"
    /// Once the payment is captured.
    case whenPaid = "when_paid"
    /// Never by the bus: the order is entered by hand.
    case never

    /// Whether a payment of `amount` whose state the order gave as `status`, of which
    /// `captured` has since been captured on the site, lets the order go.
    public func isSatisfied(status: PaymentStatus?, amount: Money, captured: Money?) -> Bool {
        let paid = status == .paid || captured.map { $0.currency == amount.currency && $0.amount >= amount.amount } == true
        switch self {
        case .always: return true
        case .whenAuthorised: return paid || status == .authorised
        case .whenPaid: return paid
        case .never: return false
        }
    }
}

/// What the payments of an order allow.
public enum PaymentClearance: Sendable, Equatable {
    /// Every payment satisfies its method's rule.
    case cleared
    /// Some payment does not yet: the order waits for its payment status.
    case waiting
    /// A payment method is never imported by the bus.
    case neverImported(PaymentMethod)
}
