import BusSchema

/// The `BusinessException`s of the payment-letterer: a sentence for a person and the facts
/// that help decide, never personal data (payment ids, document numbers and amounts only).
enum LettererException {
    /// The exception for `found`, about `order`. Its id is derived from the case, so the same
    /// case raised again (on a replay) has the same id.
    static func make(_ found: LettererCase, order: OrderNumber, causeEventID: String?, raisedAt: Instant) -> BusinessException {
        let kind: ExceptionKind
        let slug: [String]
        let reason: String
        var details: [String: String]
        switch found {
        case let .currencyMismatch(subject, currency, expected, _):
            kind = .paymentMismatch
            slug = ["currency"] + words(subject)
            reason = "The \(subject) is in another currency than the order; it is left out of lettering until a person books it."
            details = ["subject": subject, "order_currency": expected.code, "found_currency": currency.code]
        case let .conflict(subject):
            kind = .paymentMismatch
            slug = ["conflict"] + words(subject)
            reason = "The \(subject) arrived again with other content; the first one was kept and nothing was posted twice."
            details = ["subject": subject]
        case let .overpayment(excess, invoiced, paid, _):
            kind = .overpayment
            slug = ["overpayment", String(excess.amount)]
            reason = "The order is fully invoiced and the customer paid more than invoiced, beyond the tolerance: refund it or keep it as store credit."
            details = ["excess": excess.description, "invoiced_total": invoiced.description, "paid_total": paid.description]
        case let .forgotten(subject, at):
            kind = .other
            slug = ["forgotten"] + words(subject)
            reason = "The \(subject) is about an order the letterer no longer holds and is older than its retention: the order may be settled and forgotten, so nothing was posted; book it by hand if it is new."
            details = ["subject": subject, "reason_code": "forgotten_order", "dated": at.description]
        }
        details["order_number"] = order.rawValue
        return BusinessException(
            exceptionID: EventID.fromFacts("exc", [order.rawValue] + slug), kind: kind,
            entity: EntityReference(kind: .order, key: order.rawValue), worker: .paymentLetterer,
            reason: reason, details: details, causeEventID: causeEventID, raisedAt: raisedAt)
    }

    private static func words(_ text: String) -> [String] {
        text.split(separator: " ").map(String.init)
    }
}
