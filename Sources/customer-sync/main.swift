// The customer-sync worker: customer accounts kept in step between the ERP and the site.
import BusRuntime
import CustomerSyncFlow
import Foundation

/// The rules come from `BUS_CONFIG`; their defaults are `CustomerSyncRules.defaults`.
extension CustomerSyncRules: FlowRules {}

exit(WorkerMain.run(name: "customer-sync", rules: CustomerSyncRules.self) { CustomerSyncFlow(rules: $0) })
