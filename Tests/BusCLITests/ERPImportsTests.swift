@testable import BusDemo
import Testing

/// The simulated ERP imports each bus document once (`ERPImports`): a worker's replay after a
/// kill sends the same records, with the same ids, again.
@Suite("ERP imports")
struct ERPImportsTests {
    static func record(id: String?, source: String?, offset: Int64) -> ObservedRecord {
        ObservedRecord(topic: "erp.sales-orders", partition: 4, offset: offset, key: "WEB-100023", id: id, causation: nil, source: source,
                       type: "erp.sales-order-cancellation", time: nil, timestamp: nil, message: nil, headers: [], value: nil)
    }

    @Test("a bus record seen again under its id is not taken again; records of others, or without an id, always are")
    func replayTakenOnce() {
        var imports = ERPImports()
        let taken = [
            Self.record(id: "34b1", source: "bus/order-ingest", offset: 4),
            // The replayed cancellation: the same document.
            Self.record(id: "34b1", source: "bus/order-ingest", offset: 6),
            Self.record(id: "35c2", source: "bus/order-ingest", offset: 7),
            Self.record(id: "e00c", source: "erp/sage-x3", offset: 10),
            Self.record(id: "e00c", source: "erp/sage-x3", offset: 11),
            Self.record(id: nil, source: "bus/order-ingest", offset: 12),
            Self.record(id: nil, source: "bus/order-ingest", offset: 13),
        ].map { imports.takes($0) }
        #expect(taken == [true, false, true, true, true, true, true])
    }
}
