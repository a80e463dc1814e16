import ArticlePublisherFlow
import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// An article deleted in the ERP (a tombstone on the compacted `erp.articles`) is unpublished
/// and its entry removed from the worker's state, with a tombstone on its changelog.
@Suite("article-publisher: articles deleted in the ERP", .serialized)
struct ArticleDeletionTests {
    @Test("a tombstone on erp.articles unpublishes the article (deleted_in_erp) and tombstones its state; one for an unknown SKU does nothing, and neither is dead-lettered")
    func deletion() throws {
        let flow = ArticlePublisherFlow()
        let harness = try FlowHarness(flow: flow, topics: [Topics.shopCatalog, flow.changelogTopic, flow.deadLetterTopic], partitions: 2)
        try harness.publish([Fixture.record(Fixture.article("ART-1")), Fixture.record(Fixture.article("ART-2"))])
        let worker = harness.start(flow)
        defer { worker.stopCleanly() }
        _ = try harness.read(Topics.shopCatalog) { $0.count >= 2 }

        try harness.publish([ProducerRecord(topic: Topics.erpArticles, key: "ART-1", value: nil),
                             ProducerRecord(topic: Topics.erpArticles, key: "ART-UNKNOWN", value: nil)])
        let catalog = try harness.read(Topics.shopCatalog) { $0.count >= 3 }
        let last = try #require(catalog.first { $0.headers.string("ce_type") == CatalogUnpublish.messageType })
        let unpublish = try MessageCodec().decode(CatalogUnpublish.self, from: try #require(last.value))
        #expect(unpublish.sku == "ART-1")
        #expect(unpublish.reason == .deletedInErp)
        let changelog = try harness.read(flow.changelogTopic) { records in records.contains { $0.keyString == "ART-1" && $0.value == nil } }
        #expect(changelog.contains { $0.keyString == "ART-1" && $0.value == nil }, "the entry's removal is a tombstone on the changelog")
        #expect(!changelog.contains { $0.keyString == "ART-UNKNOWN" })
        // Both tombstones are done (committed) and none went to the dead-letter topic.
        #expect(waitUntil(timeout: .seconds(60)) { (try? harness.committed()) == (try? harness.inputEnds()) })
        #expect(try harness.readAll(flow.deadLetterTopic).isEmpty)
        #expect(catalog.count == 3)
    }
}
