/// A small deterministic random generator (SplitMix64): the same seed always gives the same
/// business day, on any machine, which `SystemRandomNumberGenerator` cannot promise.
struct SeededRandom {
    private var state: UInt64

    /// A generator starting from `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range` (both ends included).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True `percent` times in a hundred.
    mutating func chance(_ percent: Int) -> Bool {
        int(in: 0...99) < percent
    }

    /// One element of a non-empty array (the first when empty is impossible by construction).
    mutating func pick<T>(_ elements: [T]) -> T? {
        elements.isEmpty ? nil : elements[int(in: 0...(elements.count - 1))]
    }
}
