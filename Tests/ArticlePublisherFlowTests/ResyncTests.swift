import ArticlePublisherFlow
import BusSchema
import Testing

/// "A full resync on request re-publishes every selected article from state."
@Suite("article-publisher: resync")
struct ResyncTests {
    @Test("a resync re-publishes every article the site shows, in SKU order, and nothing it does not")
    func resyncAll() throws {
        let run = Run()
        for sku in ["C-3", "A-1", "B-2", "D-4"] { try run.handle(Fixture.article(sku)) }
        try run.handle(Fixture.article("D-4") { $0.webEnabled = false })
        try run.handle(Fixture.article("E-5") { $0.status = .obsolete })
        let outputs = run.resync()
        #expect(outputs.map(\.key) == ["A-1", "B-2", "C-3"])
        #expect(outputs.allSatisfy { $0.topic == Topics.shopCatalog })
        #expect(outputs.compactMap(\.entry) == (try ["A-1", "B-2", "C-3"].map { try CatalogMapping.entry(for: Fixture.article($0), rules: .defaults) }))
    }

    @Test("a resync re-publishes the latest entry and changes no state")
    func resyncLatest() throws {
        let run = Run()
        try run.handle(Fixture.article("A-1"))
        try run.handle(Fixture.article("A-1") { $0.basePriceExclTax = Fixture.eur(2000) })
        let before = run.store.snapshot
        #expect(run.resync().compactMap(\.entry).map(\.priceExclTax.amount) == [2000])
        #expect(run.store.snapshot == before)
    }

    @Test("a resync scoped to keys re-publishes those the site shows and skips the rest")
    func resyncKeys() throws {
        let run = Run()
        for sku in ["A-1", "B-2", "C-3"] { try run.handle(Fixture.article(sku)) }
        #expect(run.resync(keys: ["C-3", "Z-9", "A-1", "A-1"]).map(\.key) == ["A-1", "C-3"])
    }

    @Test("a resync of an empty partition publishes nothing")
    func resyncEmpty() {
        #expect(Run().resync().isEmpty)
    }
}
