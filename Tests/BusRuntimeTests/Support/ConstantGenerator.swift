/// A generator that always returns the same word, for exact jitter tables.
struct ConstantGenerator: RandomNumberGenerator {
    let word: UInt64
    mutating func next() -> UInt64 { word }
}
