import ArticlePublisherFlow
import BusSchema
import CustomerSyncFlow
import Foundation
import OrderIngestFlow
import PaymentLettererFlow
import StatusNotifierFlow
import StockBroadcasterFlow
import Testing

/// Each worker's flow declares its handlers per (topic, message type) and what it writes; the
/// catalogue, `topics/topics.json`, says who reads and writes what. They must agree.
@Suite("Flow declarations against the catalogue")
struct FlowDeclarationTests {
    static let catalogueURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("topics/topics.json")

    static func catalogue() throws -> TopicCatalogue { try TopicCatalogue.load(from: Data(contentsOf: catalogueURL)) }

    /// Every worker of the catalogue, by its flow.
    static let flows: [String: @Sendable (TopicCatalogue) -> [CatalogueProblem]] = [
        "customer-sync": { $0.problems(declaredBy: CustomerSyncFlow()) },
        "article-publisher": { $0.problems(declaredBy: ArticlePublisherFlow()) },
        "stock-broadcaster": { $0.problems(declaredBy: StockBroadcaster()) },
        "order-ingest": { $0.problems(declaredBy: OrderIngest()) },
        "payment-letterer": { $0.problems(declaredBy: PaymentLetterer()) },
        "status-notifier": { $0.problems(declaredBy: StatusNotifier()) },
    ]

    @Test("every catalogue worker has a flow here")
    func everyWorker() throws {
        #expect(Set(try Self.catalogue().workers) == Set(Self.flows.keys))
    }

    @Test("each flow's inputs, handlers and writes are the catalogue's readers, message types and writers",
          arguments: ["customer-sync", "article-publisher", "stock-broadcaster", "order-ingest", "payment-letterer", "status-notifier"])
    func agree(_ worker: String) throws {
        let check = try #require(Self.flows[worker])
        #expect(check(try Self.catalogue()).map(\.description) == [])
    }

    @Test("a catalogue change the flows do not follow is caught: a new message type, a reader, a writer")
    func driftIsCaught() throws {
        var catalogue = try Self.catalogue()
        let orders = try #require(catalogue.topics.firstIndex { $0.name == Topics.shopOrders })
        catalogue.topics[orders].messageTypes.append("shop.payment")
        let receipts = try #require(catalogue.topics.firstIndex { $0.name == Topics.erpReceipts })
        catalogue.topics[receipts].writers = ["erp"]
        let stock = try #require(catalogue.topics.firstIndex { $0.name == Topics.erpStock })
        catalogue.topics[stock].readers.append(TopicReader(name: "order-ingest", reads: .stream))
        let ingest = OrderIngest()
        let ingestProblems = catalogue.problems(declaredBy: ingest).map(\.description)
        #expect(ingestProblems.contains { $0.contains("no handler declared for shop.payment") })
        #expect(ingestProblems.contains { $0.contains("the catalogue says") && $0.contains(Topics.erpStock) })
        #expect(catalogue.problems(declaredBy: PaymentLetterer()).map(\.description).contains { $0.contains("the catalogue does not name it a writer") })
        #expect(catalogue.problems(declaredBy: StatusNotifier()).map(\.description).contains { $0.contains("no handler declared for shop.payment") })
        let tracking = try #require(catalogue.topics.firstIndex { $0.name == Topics.shopOrderTracking })
        catalogue.topics[tracking].cleanup = .delete
        #expect(catalogue.problems(declaredBy: StatusNotifier()).map(\.description).contains { $0.contains("is delete in the catalogue but in Topics.latestWins") },
                "a topic no longer compacted would keep content ids")
    }
}
