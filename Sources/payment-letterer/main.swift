// The payment-letterer worker: site payments to ERP receipts, lettered against invoices.
import BusRuntime
import Foundation
import PaymentLettererFlow

extension PaymentLettererRules: FlowRules {}

exit(WorkerMain.run(name: PaymentLetterer().name, rules: PaymentLettererRules.self) { PaymentLetterer(rules: $0) })
