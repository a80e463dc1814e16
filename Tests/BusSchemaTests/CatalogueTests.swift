import Foundation
import Testing
@testable import BusSchema

@Suite struct CatalogueTests {
    static func catalogue() throws -> TopicCatalogue { try TopicCatalogue.load(from: TestFiles.read(TestFiles.catalogue)) }

    @Test func committedCataloguePassesItsCheck() throws {
        let catalogue = try Self.catalogue()
        #expect(catalogue.check() == [])
        #expect(catalogue.topics.count == 47)  // 32 + bus.account-exposure + the re-keying topics of customer-sync and payment-letterer + bus.erasures + shop.store-credits + shop.account-invoices + bus.stock-claims + the availability query and answer topics + the four price query topics + bus.order-acceptance + bus.control-replies
    }

    @Test func everyTopicOfTheDesignIsThere() throws {
        let catalogue = try Self.catalogue()
        let names = Set(catalogue.topics.map(\.name))
        for name in ["erp.customers", "shop.customers", "erp.customer-updates", "shop.customer-updates", "bus.customer-identity",
                     "erp.articles", "shop.catalog", "erp.stock", "shop.availability", "shop.orders", "erp.sales-orders",
                     "erp.order-status", "shop.order-tracking", "shop.notifications", "shop.payments", "erp.invoices",
                     "erp.receipts", "erp.lettering", "bus.exceptions", "bus.control"] {
            #expect(names.contains(name), "\(name)")
        }
        for worker in catalogue.workers {
            #expect(names.contains("bus.dlq.\(worker)") && names.contains("bus.\(worker).state"))
        }
        for name in ["erp.customers", "shop.customers", "shop.orders", "erp.order-status", "shop.payments", "erp.invoices"] {
            #expect(catalogue.topic(named: name)?.partitions == 6)
        }
    }

    @Test func coPartitioningErrorIsCaught() throws {
        var catalogue = try Self.catalogue()
        let index = try #require(catalogue.topics.firstIndex { $0.name == "erp.order-status" })
        catalogue.topics[index].partitions = 3
        let problems = catalogue.check().map(\.description)
        #expect(problems.contains { $0.contains("order-ingest reads streams that are not co-partitioned") })
        #expect(problems.contains { $0.contains("status-notifier reads streams that are not co-partitioned") })
    }

    @Test func namesTypesAndWorkersAreChecked() throws {
        var catalogue = try Self.catalogue()
        catalogue.topics[0].name = "orders.raw"
        let stock = try #require(catalogue.topics.firstIndex { $0.name == "erp.stock" })
        catalogue.topics[stock].messageTypes = ["erp.stock-levels"]
        catalogue.topics.removeAll { $0.name == "bus.dlq.payment-letterer" }
        let problems = catalogue.check().map(\.description)
        #expect(problems.contains { $0.hasPrefix("orders.raw: name must be") })
        #expect(problems.contains { $0.contains("message type erp.stock-levels is not in the schema registry") })
        #expect(problems.contains { $0.contains("message type erp.stock-level lives on no topic") })
        #expect(problems.contains { $0.contains("payment-letterer has no dead-letter topic") })
        #expect(problems.contains { $0.contains("message type erp.customer-account lives on no topic") } == false)
    }

    /// One topic, one writer for latest-wins topics: with two, a late record of one overwrites
    /// a later state of the other (order-ingest's "accepted" after status-notifier's "delivered").
    @Test func aCompactedTopicWithTwoWritersIsRefused() throws {
        var catalogue = try Self.catalogue()
        let tracking = try #require(catalogue.topics.firstIndex { $0.name == "shop.order-tracking" })
        #expect(catalogue.topics[tracking].writers == ["status-notifier"])
        catalogue.topics[tracking].writers.append("order-ingest")
        let statuses = try #require(catalogue.topics.firstIndex { $0.name == "erp.order-status" })
        catalogue.topics[statuses].writers.append("order-ingest")
        let problems = catalogue.check().map(\.description)
        #expect(problems == ["shop.order-tracking: a compacted topic has one writer, not status-notifier, order-ingest"], "a deleted topic may have several")
    }

    @Test func catalogueRoundTripsThroughCodable() throws {
        let catalogue = try Self.catalogue()
        let encoded = JSONWriter.pretty(try JSONParser().parse(JSONEncoder().encode(catalogue)))
        #expect(try TopicCatalogue.load(from: encoded) == catalogue)
    }

    @Test func publishingGuideHasACommandForEveryTopicAndType() throws {
        let guide = String(decoding: TestFiles.read(TestFiles.repository.appendingPathComponent("README.md")), as: UTF8.self)
        for topic in try Self.catalogue().topics {
            #expect(guide.contains("### `\(topic.name)`"), "\(topic.name)")
            for type in topic.messageTypes {
                #expect(guide.contains("-t \(topic.name) -k"), "\(topic.name)")
                #expect(guide.contains("-H ce_type=\(type) "), "\(type)")
                #expect(guide.contains("ce_dataschema=urn:commerce-bus:schema:\(type).v1 "), "\(type)")
                #expect(guide.contains("topics/examples/\(type).v1.json"), "\(type)")
            }
        }
    }
}
