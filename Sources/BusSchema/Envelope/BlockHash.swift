/// What SHA-1 and SHA-256 share (FIPS 180-4, 5.1.1 and 6.x.2): the message in 64-byte blocks,
/// then a 0x80 byte, zeros and the message's bit length in 8 big-endian bytes; the digest is the
/// state words, big-endian. A hash supplies its state and its compression of one block.
protocol BlockHash {
    /// Bytes not yet making up a whole 64-byte block.
    var pending: [UInt8] { get set }
    /// Bytes hashed so far.
    var length: UInt64 { get set }
    /// The state words, in digest order.
    var stateWords: [UInt32] { get }
    /// Folds one 64-byte block into the state.
    mutating func compress(_ block: [UInt8])
}

extension BlockHash {
    /// Adds `bytes` to the hashed message.
    mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            pending.append(byte)
            if pending.count == 64 {
                compress(pending)
                pending.removeAll(keepingCapacity: true)
            }
            length &+= 1
        }
    }

    /// The digest of everything added; the hash itself is left as it was, so a fixed prefix
    /// hashed once can be copied and continued.
    func finish() -> [UInt8] {
        var copy = self
        let bitLength = length &* 8
        copy.pending.append(0x80)
        if copy.pending.count > 56 {
            while copy.pending.count < 64 { copy.pending.append(0) }
            copy.compress(copy.pending)
            copy.pending.removeAll(keepingCapacity: true)
        }
        while copy.pending.count < 56 { copy.pending.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { copy.pending.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        copy.compress(copy.pending)
        let words = copy.stateWords
        var digest: [UInt8] = []
        digest.reserveCapacity(words.count * 4)
        for word in words {
            for shift: UInt32 in [24, 16, 8, 0] { digest.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return digest
    }
}
