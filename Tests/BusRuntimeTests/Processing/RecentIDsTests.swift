@testable import BusRuntime
import Testing

@Suite("Recent request ids")
struct RecentIDsTests {
    /// Inserts each id in turn: whether each was new.
    static func insert(_ ids: inout RecentIDs, _ names: String...) -> [Bool] {
        names.map { ids.insert($0) }
    }

    @Test("an id is acted on once while remembered; past the capacity the oldest is forgotten first, and the count never exceeds it")
    func bounded() {
        var ids = RecentIDs(capacity: 3)
        #expect(Self.insert(&ids, "a", "b", "c", "b") == [true, true, true, false], "a repeat within the capacity is refused")
        #expect(Self.insert(&ids, "d") == [true], "a fourth id pushes out the oldest")
        #expect(ids.count == 3)
        #expect(Self.insert(&ids, "a") == [true], "the oldest was forgotten")
        #expect(Self.insert(&ids, "c", "d") == [false, false], "the newer ones are still remembered")
        #expect(Self.insert(&ids, "b") == [true], "then b, the oldest left, was forgotten in its turn")
        for n in 0..<1_000 { _ = ids.insert("id-\(n)") }
        #expect(ids.count == 3)
        #expect(Self.insert(&ids, "id-999", "id-996") == [false, true])
    }
}
