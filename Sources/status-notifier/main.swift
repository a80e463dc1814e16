// The status-notifier worker: ERP order statuses to the site's order page and to customers.
import BusRuntime
import Foundation
import StatusNotifierFlow

extension StatusNotifierRules: FlowRules {}

exit(WorkerMain.run(name: StatusNotifier().name, rules: StatusNotifierRules.self) { StatusNotifier(rules: $0) })
