import BusSchema

/// The balance of one credit code (store credit or a gift card), kept under `credit:<code>`
/// in the partition the code hashes to: what was issued, and every spend decided.
///
/// The balance is the issued amount less the accepted spends; it never goes below zero, since
/// a spend beyond it is refused whole. Spends are decided in the order they reach the code's
/// partition, so two orders spending the last euros race fairly: the first one wins.
public struct CreditBalance: Codable, Sendable, Equatable {
    /// The code.
    public var code: CreditCode
    /// What was issued.
    public var issued: Money
    /// The last day it can be spent; nil: never expires.
    public var expiresOn: LocalDate?
    /// The order it was issued on (a credit note's order, or the order that bought the card).
    public var origin: OrderNumber
    /// Every spend decided, in arrival order.
    public var spends: [DecidedSpend] = []
    /// The time of the latest input about this code: retention counts from it.
    public var lastEventAt: Instant

    /// A balance for credit issued.
    public init(code: CreditCode, issued: Money, expiresOn: LocalDate?, origin: OrderNumber, at instant: Instant) {
        self.code = code
        self.issued = issued
        self.expiresOn = expiresOn
        self.origin = origin
        self.lastEventAt = instant
    }

    /// What is left: issued less the accepted spends, in minor units.
    public var left: Money {
        Money(amount: issued.amount - spends.filter(\.accepted).reduce(0) { $0 + $1.amount }, currency: issued.currency)
    }

    /// Decides `spend`: accepted when in the code's currency, on or before its last day, and
    /// within what is left; refused otherwise, with the first reason in that order. Nil when
    /// this payment was decided before (a repeat: its decision was sent already).
    public mutating func decide(_ spend: StoreCreditSpend) -> StoreCreditDecision? {
        guard !spends.contains(where: { $0.paymentID == spend.paymentID }) else { return nil }
        let refusal: SpendRefusal?
        if spend.amount.currency != issued.currency {
            refusal = .currencyMismatch
        } else if let expiresOn, spend.requestedAt.utcDate > expiresOn {
            refusal = .expired
        } else if spend.amount.amount > left.amount {
            refusal = .insufficientBalance
        } else {
            refusal = nil
        }
        spends.append(DecidedSpend(paymentID: spend.paymentID, orderNumber: spend.orderNumber, amount: spend.amount.amount, accepted: refusal == nil))
        lastEventAt = max(lastEventAt, spend.requestedAt)
        return Self.decision(spend, refusal: refusal, balance: left, expiresOn: expiresOn)
    }

    /// The refusal of a spend of a code no balance exists for.
    public static func unknown(_ spend: StoreCreditSpend) -> StoreCreditDecision {
        decision(spend, refusal: .unknownCode, balance: .zero(spend.amount.currency), expiresOn: nil)
    }

    private static func decision(_ spend: StoreCreditSpend, refusal: SpendRefusal?, balance: Money, expiresOn: LocalDate?) -> StoreCreditDecision {
        StoreCreditDecision(
            decisionID: EventID.fromFacts("scd", [spend.code.rawValue, spend.paymentID.rawValue]), code: spend.code,
            orderNumber: spend.orderNumber, paymentID: spend.paymentID, amount: spend.amount,
            outcome: refusal == nil ? .accepted : .refused, refusal: refusal, balance: balance,
            expiresOn: expiresOn, decidedAt: spend.requestedAt)
    }

    /// When the balance is forgotten: `retention` after its last event once nothing is left,
    /// or after its last day once expired; never while it can still be spent.
    public func expiry(_ retention: Retention) -> Instant? {
        if left.amount <= 0 { return retention.expiry(after: lastEventAt) }
        // The day after the last day, at midnight UTC: the first moment it can no longer be spent.
        guard let expiresOn, let end = Instant(secondsSinceEpoch: (expiresOn.daysSinceEpoch + 1) * 86_400) else { return nil }
        return retention.expiry(after: max(lastEventAt, end))
    }
}

/// A spend of a code, as decided.
public struct DecidedSpend: Codable, Sendable, Equatable {
    /// The site payment.
    public var paymentID: PaymentID
    /// The order it paid.
    public var orderNumber: OrderNumber
    /// The amount asked, in minor units of the code's currency.
    public var amount: Int64
    /// Whether it was taken from the balance.
    public var accepted: Bool
}
