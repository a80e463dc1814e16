/// The ids of the last `capacity` requests acted on, oldest forgotten first: the memory that
/// stops a request published twice (an operator's retry under the same id) being acted on
/// twice, bounded however long a worker runs. A retry comes within seconds; ten thousand ids
/// cover hours of operators' requests.
struct RecentIDs: Sendable {
    let capacity: Int
    private var members: Set<String> = []
    private var order: [String] = []
    private var oldest = 0

    init(capacity: Int = 10_000) {
        precondition(capacity > 0, "a capacity of at least one id")
        self.capacity = capacity
    }

    /// How many ids are remembered.
    var count: Int { members.count }

    /// Whether `id` is remembered (the request was acted on).
    func contains(_ id: String) -> Bool { members.contains(id) }

    /// Remembers `id`; false when it was remembered already (the request was acted on).
    mutating func insert(_ id: String) -> Bool {
        guard members.insert(id).inserted else { return false }
        if order.count < capacity {
            order.append(id)
        } else {
            // A ring over `order`: the slot of the oldest id takes the new one.
            members.remove(order[oldest])
            order[oldest] = id
            oldest = (oldest + 1) % capacity
        }
        return true
    }
}
