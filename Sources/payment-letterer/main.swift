// The payment-letterer worker: site payments to ERP receipts, lettered against invoices.
import BusRuntime
import BusSchema
import Foundation
import PaymentLettererFlow

extension PaymentLettererRules: FlowRules {}

let name = PaymentLetterer().name
let creditCodeSecret: CreditCodeSecret?
do {
    creditCodeSecret = try CreditCodeSecretSetting.read(ProcessInfo.processInfo.environment)
} catch {
    Logger(worker: name).error("invalid_configuration", .error(error))
    exit(2)
}
// Without a secret, codes follow from credit note and order numbers: fine for a dev cluster,
// guessable in production (the deploy manifests always give one).
if creditCodeSecret == nil { Logger(worker: name).warn("credit_code_secret_missing") }
exit(WorkerMain.run(name: name, rules: PaymentLettererRules.self) { PaymentLetterer(rules: $0, creditCodeSecret: creditCodeSecret) })
