import BusSchema

/// The payment-letterer's internal topic `bus.payment-letterer.rekey`, which it alone writes
/// and reads: how an order's partition and a credit code's partition talk.
///
/// Why: the runtime gives a flow one state partition per input partition number, and an
/// order's state lives where its order number hashes; but store credit issued on one order is
/// spent on others, so its balance must live in one place, where its code hashes. Issued
/// credit and spends travel there keyed by the code; the decision on a spend comes back keyed
/// by the paying order's number, which lands in the same partition number as the order's own
/// inputs (every input topic has the same partition count and the bus partitions by murmur2).
public enum CreditRoute {
    /// The internal topic: written and read by payment-letterer only.
    public static let topic = "bus.payment-letterer.rekey"

    /// Where a code's balance is kept: apart from order numbers, which never contain ':'.
    public static func stateKey(of code: CreditCode) -> String { "credit:\(code.rawValue)" }

    /// An output sending `message` to the balance of `code`.
    static func toBalance(_ code: CreditCode, _ message: any BusMessage, effectID: EventID) -> FlowOutput {
        FlowOutput(topic: topic, key: code.rawValue, message: message, effectID: effectID)
    }

    /// An output sending `decision` back to the order it pays.
    static func toOrder(_ decision: StoreCreditDecision) -> FlowOutput {
        FlowOutput(topic: topic, key: decision.orderNumber.rawValue, message: decision, effectID: decision.decisionID)
    }
}
