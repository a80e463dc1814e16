// The stock-broadcaster worker: ERP stock movements in, the site's availability out.
import BusRuntime
import Foundation
import StockBroadcasterFlow

extension StockBroadcasterRules: FlowRules {}

exit(WorkerMain.run(name: StockBroadcaster().name, rules: StockBroadcasterRules.self) { StockBroadcaster(rules: $0) })
