/// The bytes of one partition's state as its changelog holds them (keys plus values' JSON),
/// estimated without encoding values on every gauge update.
///
/// Why: the estimate used to encode a sample of 64 values per partition on every gauge
/// update (every second), on the loop's thread. With large values (an order's state) that was
/// a third of the loop's time while draining (`bus_loop_seconds_total{phase="housekeeping"}`,
/// README "Performance"). Now the mean bytes per key is measured from a sample only when it may
/// have moved: at the first update, every `resampleInterval`, and once the number of keys has
/// doubled or halved since the last sample. In between, the estimate is that mean times the
/// current number of keys, so the gauge still follows the store's growth every second.
struct StateSizeEstimate: Sendable, Equatable {
    /// How long a measured mean bytes per key is used before it is measured again.
    static let resampleInterval: Duration = .seconds(30)

    private(set) var bytesPerKey: Double?
    private(set) var sampledAt: ContinuousClock.Instant?
    private(set) var sampledCount = 0

    /// Whether a store of `count` keys should be sampled now.
    func needsSample(count: Int, now: ContinuousClock.Instant) -> Bool {
        guard count > 0 else { return false }
        guard bytesPerKey != nil, let sampledAt else { return true }
        return now - sampledAt >= Self.resampleInterval || count >= sampledCount * 2 || count * 2 <= sampledCount
    }

    /// A sample was taken: `bytes` over `keys` keys, from a store of `count` keys.
    mutating func record(bytes: Int, keys: Int, count: Int, now: ContinuousClock.Instant) {
        guard keys > 0 else { return }
        bytesPerKey = Double(bytes) / Double(keys)
        sampledAt = now
        sampledCount = count
    }

    /// The estimated bytes of a store of `count` keys (0 before any sample).
    func bytes(count: Int) -> Int {
        guard let bytesPerKey, count > 0 else { return 0 }
        return Int((bytesPerKey * Double(count)).rounded())
    }
}
