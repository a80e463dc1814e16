import BusKafka
import BusSchema
import Foundation

/// The cheapest real flow: each stock level is passed on unchanged, with no state. What it
/// costs over the Kafka passthrough is the runtime's own cost (decode, validate, envelope,
/// encode, offsets, commits).
struct RelayFlow: Flow {
    let name = "stock-broadcaster"
    let inputs = [Topics.erpStock]

    func handle(_ input: FlowInput, state: inout FlowState<NoState>, tables: any TableLookup) throws -> [FlowOutput] {
        guard let level = input.message(as: ERPStockLevel.self) else { return [] }
        return [FlowOutput(topic: "bench.out", message: level)]
    }
}

/// Stock movements as the ERP would publish them: `count` levels over `skus` SKUs and two
/// warehouses, with the CloudEvents headers.
enum StockMovements {
    static func records(count: Int, skus: Int) -> [ProducerRecord] {
        let codec = MessageCodec()
        let time = Instant(Date(timeIntervalSince1970: 1_800_000_000))
        return (0..<count).map { i in
            let sku = "SKU-\(i % skus)"
            let level = ERPStockLevel(
                sku: SKU(rawValue: sku), warehouse: WarehouseCode(rawValue: i % 2 == 0 ? "MAIN" : "NORTH"),
                onHand: Quantity(Int64(i % 50)), reserved: Quantity(Int64(i % 7)), incoming: [],
                measuredAt: time)
            let envelope = Envelope(for: ERPStockLevel.self, id: "stock-\(i)", source: "erp/bench", time: time)
            return ProducerRecord(topic: Topics.erpStock, key: sku, value: codec.encode(level),
                                  headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
        }
    }
}
