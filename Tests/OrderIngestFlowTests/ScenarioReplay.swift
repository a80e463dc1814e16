import BusRuntime
import BusTestKit
import OrderIngestFlow
import Testing

extension CancellationReplayTests.Scenario {
    /// The crash-and-replay search the replay suites share: every interleaving of the
    /// scenario's topics, crashed after each input with the changelog of what followed lost,
    /// then replayed over the restored changelog in four interleavings drawn from `seed`
    /// (`TimelineReplay.everyCrash`). `problems` names what the ERP would read twice in
    /// everything delivered over both lives; any is an issue at the caller, and stops the
    /// search. Returns the replays checked.
    func crashAndReplayInAnyOrder(seed: UInt64, problems: ([CancellationReplayTests.Written]) -> [String],
                                  sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let orders = CancellationReplayTests.interleavings(streams)
        var rng = SplitMix64(seed: seed)
        return try TimelineReplay.everyCrash(
            of: orders, flow: OrderIngest(rules: .defaults), replaysPerCrash: 4, replay: { orders.randomElement(using: &rng) ?? [] },
            run: { inputs, timeline, _ in try CancellationReplayTests.run(inputs, from: timeline) }
        ) { delivered, description in
            let found = problems(delivered)
            #expect(found == [], "\(description): \(found)", sourceLocation: sourceLocation)
            return found.isEmpty
        }
    }
}
