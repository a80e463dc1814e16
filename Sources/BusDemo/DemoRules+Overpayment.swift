import BusSchema
import PaymentLettererFlow

extension DemoRules {
    /// How long payment-letterer waits, on its partition's clock, before it raises an
    /// overpayment: the demo's `overpayment_wait_minutes` (`paymentLettererFile`). 30 days, so
    /// within the demo's day the partial cancellations' overpayments are judged "within the
    /// wait" (owed, not yet raised) by the money check.
    static let overpaymentWaitMinutes: Int = (try? paymentLetterer().overpaymentWaitMinutes) ?? PaymentLettererRules.defaults.overpaymentWaitMinutes
}
