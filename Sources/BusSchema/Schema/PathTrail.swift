/// The path of the value a recursive walk is at, kept as segments and written out as a
/// `JSONPath` only when a problem is reported there: most values have none, and building
/// every path was a large share of the validator's cost.
///
/// A value pushed before descending and popped after, rather than a closure per level
/// (`{ path().key(name) }`): the optimiser specialised the validator's mutually recursive
/// functions once per nested closure, which grew `BusSchema`'s release compile past 20 min
/// (77,000 specialisations); a trail gives the same laziness without closures.
struct PathTrail {
    private enum Segment {
        case key(String)
        case index(Int)
    }

    private var segments: [Segment] = []

    /// The trail at the document root, `$`.
    init() { segments.reserveCapacity(8) }

    /// The path the trail is at.
    var path: JSONPath {
        segments.reduce(JSONPath.root) { path, segment in
            switch segment {
            case let .key(name): path.key(name)
            case let .index(position): path.index(position)
            }
        }
    }

    /// Descends into the member `name`; `leave()` comes back.
    mutating func enter(key name: String) { segments.append(.key(name)) }

    /// Descends into the element `position`; `leave()` comes back.
    mutating func enter(index position: Int) { segments.append(.index(position)) }

    /// Comes back from the last `enter`.
    mutating func leave() { segments.removeLast() }
}
