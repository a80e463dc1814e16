import ArticlePublisherFlow
import BusKafka
import BusSchema
import Foundation

/// Articles, inputs and records for the tests: one valid article, changed one field at a time.
enum Fixture {
    static let fr = LanguageCode("fr")!
    static let en = LanguageCode("en")!
    static let de = LanguageCode("de")!
    static let time = Instant("2024-05-02T14:00:00Z")!
    static let codec = MessageCodec()

    static func eur(_ cents: Int64) -> Money { Money(amount: cents, currency: .eur) }

    /// An operator's full resync.
    static let resyncAll = FlowControl.resync(keys: nil)

    /// A web-enabled active T-shirt in family TEXTILE, labelled in French and English, 16.58 EUR at 20 %.
    static func article(_ sku: String = "TSHIRT-BLU", change: (inout ERPArticle) -> Void = { _ in }) -> ERPArticle {
        var article = ERPArticle(
            sku: SKU(sku), status: .active, webEnabled: true,
            shortLabels: [fr: "T-shirt coton bio", en: "Organic cotton T-shirt"],
            longDescriptions: [fr: "Coton bio épais.", en: "Heavyweight organic cotton."],
            family: "TEXTILE", categories: ["women-tops"], gtin: "3760123450003",
            variants: [
                ArticleVariant(sku: SKU("\(sku)-S"), options: ["size": "S"], gtin: "3760123450010", webEnabled: true),
                ArticleVariant(sku: SKU("\(sku)-M"), options: ["size": "M"], gtin: "3760123450027", webEnabled: true),
            ],
            images: [ImageReference(url: "https://media.example.com/\(sku)/front.jpg", position: 1)],
            unit: "C62", vatRate: Rate("20.0")!, basePriceExclTax: eur(1658),
            priceLists: [PriceListPrice(priceList: "B2B-GOLD", minimumQuantity: Quantity("10")!, priceExclTax: eur(1400))],
            weightKg: Quantity("0.210"), updatedAt: time)
        change(&article)
        return article
    }

    /// The flow input an ERP record of `article` becomes.
    static func input(_ article: ERPArticle, id: String = UUID().uuidString, key: String? = nil) -> FlowInput {
        FlowInput(envelope: Envelope(for: ERPArticle.self, id: id, source: "erp/test", time: time),
                  message: article, key: key ?? article.sku.rawValue, topic: Topics.erpArticles)
    }

    /// The record an ERP would publish for `article`.
    static func record(_ article: ERPArticle, id: String = UUID().uuidString) -> ProducerRecord {
        record(article, topic: Topics.erpArticles, key: article.sku.rawValue, id: id)
    }

    /// The record an outside system would publish for `message`, with the message's own id when it has one.
    static func record<M: BusMessage>(_ message: M, topic: String, key: String, id: String? = nil) -> ProducerRecord {
        let eventID = id ?? (message as? ResyncRequest)?.requestID.rawValue ?? UUID().uuidString
        let envelope = Envelope(for: M.self, id: eventID, source: "test/producer", time: time)
        return ProducerRecord(topic: topic, key: key, value: codec.encode(message),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }
}

/// Runs a flow over inputs one at a time on one store, as the runtime does for one partition.
struct Run {
    let flow: ArticlePublisherFlow
    let store = StateStore<CatalogEntry>()

    init(_ rules: ArticlePublisherRules = .defaults) {
        flow = ArticlePublisherFlow(rules: rules)
    }

    /// The outputs of one input; its state changes are kept.
    @discardableResult
    func handle(_ input: FlowInput) throws -> [FlowOutput] {
        var state = FlowState(store: store)
        let outputs = try flow.handle(input, state: &state, tables: StaticTables())
        store.apply(state.changes)
        return outputs
    }

    /// The outputs of one article from the ERP.
    @discardableResult
    func handle(_ article: ERPArticle) throws -> [FlowOutput] {
        try handle(Fixture.input(article))
    }

    /// The outputs of a resync (of every SKU when `keys` is nil).
    func resync(keys: [String]? = nil) -> [FlowOutput] {
        var state = FlowState(store: store)
        let outputs = flow.control(.resync(keys: keys), state: &state, tables: StaticTables())
        store.apply(state.changes)
        return outputs
    }
}

extension FlowOutput {
    var entry: CatalogEntry? { message as? CatalogEntry }
    var unpublish: CatalogUnpublish? { message as? CatalogUnpublish }
}
