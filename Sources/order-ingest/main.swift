// The order-ingest worker: site orders in, ERP sales orders out.
import BusRuntime
import Foundation
import OrderIngestFlow

extension OrderIngestRules: FlowRules {}

exit(WorkerMain.run(name: OrderIngest().name, rules: OrderIngestRules.self) { OrderIngest(rules: $0) })
