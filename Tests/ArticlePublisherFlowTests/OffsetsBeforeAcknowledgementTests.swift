import ArticlePublisherFlow
import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// The kill-and-restart check must catch a runtime that breaks at-least-once: with offsets
/// stored before outputs are acknowledged (`ProcessingOptions.storesOffsetsBeforeAcknowledgement`,
/// the fault `BUS_FAULT_INJECTION=store-offsets-before-ack` switches on), a crash while outputs
/// are in flight commits inputs whose outputs never land, and the check reports them lost.
/// The same scenario without the fault passes: the check fails for the fault, not the scenario.
@Suite("Kill and restart: the check catches offsets stored before acknowledgement")
struct OffsetsBeforeAcknowledgementTests {
    @Test("article-publisher crashed with its outputs in flight: no output lost when offsets follow acknowledgements, outputs lost with the fault",
          arguments: [false, true])
    func crashWithOutputsInFlight(storesOffsetsEarly: Bool) throws {
        // 240 ERP records over 120 SKUs: each published, then repriced.
        let inputs = (0..<2).flatMap { round in
            (0..<120).map { n in
                Fixture.record(ArticlePublisherEndToEndTests.article(n) { $0.basePriceExclTax = Fixture.eur(Int64(1000 + n + round * 50)) },
                               id: "erp-\(round)-\(n)")
            }
        }
        let expected = try ArticlePublisherEndToEndTests.expectedOutputs(inputs)
        var options = ProcessingOptions.forTests
        options.storesOffsetsBeforeAcknowledgement = storesOffsetsEarly
        // The outputs' broker is down until the crash: every output is in flight when it comes.
        let (reference, crashed) = try KillAndRestart.run(
            flow: ArticlePublisherFlow(), topics: [Topics.erpArticles], inputs: inputs, outputs: [Topics.shopCatalog],
            crashAfter: inputs.count / 2, crashed: .init(options: options, outputsUnreachable: true), untilCommitted: true,
            settled: { _ in false })
        #expect(reference.byID.count == expected, "the clean run is complete")
        let lost = crashed.lost(from: reference)
        if storesOffsetsEarly {
            #expect(lost.count >= inputs.count / 2, "the check reports the outputs of the inputs committed before their outputs were written: \(lost.count) lost")
            #expect(crashed.byID != reference.byID)
        } else {
            #expect(lost.isEmpty, "\(lost.count) outputs lost")
            #expect(crashed.byID == reference.byID, "the same outputs, ids and bytes")
            #expect(crashed.finalValuesDiffering(from: reference).isEmpty)
        }
        #expect(crashed.conflicting.isEmpty)
    }
}
