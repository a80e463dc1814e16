import BusKafka
import BusSchema
import Foundation
import StockBroadcasterFlow

/// Stock levels and records as the ERP would send them.
enum Stock {
    static let codec = MessageCodec()
    static let start = 1_800_000_000

    /// The instant `seconds` after a fixed start.
    static func at(_ seconds: Int) -> Instant {
        Instant(secondsSinceEpoch: Int64(start + seconds)) ?? Instant(Date(timeIntervalSince1970: 0))
    }

    static func quantity(_ text: String) -> Quantity {
        Quantity(text) ?? .zero
    }

    static func date(_ text: String) -> LocalDate? { LocalDate(text) }

    /// A stock level of `sku` in `warehouse`.
    static func level(_ sku: String, _ warehouse: String = "WH1", onHand: String, reserved: String = "0",
                      incoming: [(String, String)] = [], at seconds: Int = 0, backorders: Bool? = nil) -> ERPStockLevel {
        ERPStockLevel(
            sku: SKU(sku), warehouse: WarehouseCode(warehouse), onHand: quantity(onHand), reserved: quantity(reserved),
            incoming: incoming.compactMap { quantityText, day in date(day).map { IncomingStock(quantity: quantity(quantityText), expectedOn: $0) } },
            measuredAt: at(seconds), backorderAllowed: backorders)
    }

    /// The flow input for `level`, as the runtime would build it.
    static func input(_ level: ERPStockLevel, id: String = UUID().uuidString, key: String? = nil) -> FlowInput {
        FlowInput(envelope: Envelope(for: ERPStockLevel.self, id: id, source: "erp/test", time: level.measuredAt),
                  message: level, key: key ?? level.sku.rawValue, topic: Topics.erpStock)
    }

    /// The record an outside system would publish for `level`.
    static func record(_ level: ERPStockLevel, id: String) -> ProducerRecord {
        let envelope = Envelope(for: ERPStockLevel.self, id: id, source: "erp/test", time: level.measuredAt)
        return ProducerRecord(topic: Topics.erpStock, key: level.sku.rawValue, value: codec.encode(level),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }

    /// Decodes an availability record.
    static func availability(_ record: ConsumedRecord) -> Availability? {
        record.value.flatMap { try? codec.decode(Availability.self, from: $0) }
    }
}

/// Runs a flow over inputs with one in-memory state partition, as the runtime would.
struct StockBench {
    let flow: StockBroadcaster
    let store = StateStore<SKUStock>()

    init(_ rules: StockBroadcasterRules = .defaults) {
        flow = StockBroadcaster(rules: rules)
    }

    /// Handles `input` and applies its state changes; returns the outputs.
    func handle(_ input: FlowInput) throws -> [FlowOutput] {
        var state = FlowState(store: store)
        let outputs = try flow.handle(input, state: &state, tables: StaticTables())
        store.apply(state.changes)
        return outputs
    }

    /// Handles `level` and returns the availability published, if any.
    func publish(_ level: ERPStockLevel) throws -> Availability? {
        try handle(Stock.input(level)).first?.message as? Availability
    }
}

/// What article-publisher publishes on `shop.catalog`, as stock-broadcaster reads it.
enum Catalogue {
    /// The published entry of `article` with `variants`.
    static func entry(_ article: String, variants: [String] = [], at seconds: Int = 0) -> CatalogEntry {
        let price = Money(amount: 1999, currency: .eur)
        return CatalogEntry(sku: SKU(article), name: [LanguageCode("fr")!: article], categories: [],
                            variants: variants.map { CatalogVariant(sku: SKU($0), options: ["size": $0]) }, images: [], unit: "C62",
                            vatRate: Rate("20") ?? .zero, priceExclTax: Money(amount: 1666, currency: .eur), priceInclTax: price,
                            priceLists: [], publishedAt: Stock.at(seconds))
    }

    /// `article` taken off the site for `reason`.
    static func unpublish(_ article: String, _ reason: UnpublishReason = .deletedInErp, at seconds: Int = 0) -> CatalogUnpublish {
        CatalogUnpublish(sku: SKU(article), reason: reason, unpublishedAt: Stock.at(seconds))
    }

    /// The table record the runtime tells the flow of, for `message` under its SKU.
    static func input<M: BusMessage>(_ message: M, sku: String, id: String = UUID().uuidString) -> FlowInput {
        FlowInput(envelope: Envelope(for: M.self, id: id, source: "article-publisher", time: Stock.at(0)),
                  message: message, key: sku, topic: Topics.shopCatalog)
    }

    /// The record article-publisher would write for `message` under `sku`.
    static func record<M: BusMessage>(_ message: M, sku: String, id: String) -> ProducerRecord {
        let envelope = Envelope(for: M.self, id: id, source: "article-publisher", time: Stock.at(0))
        return ProducerRecord(topic: Topics.shopCatalog, key: sku, value: Stock.codec.encode(message),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }
}

extension StockBench {
    /// Tells the flow of a `shop.catalog` record and applies its state changes; returns the outputs.
    func tableChanged(_ input: FlowInput) throws -> [FlowOutput] {
        var state = FlowState(store: store)
        let outputs = try flow.tableChanged(input, state: &state, tables: StaticTables())
        store.apply(state.changes)
        return outputs
    }
}
