import BusSchema

/// Where a record on the internal topic `bus.customer-sync.rekey` is judged: its key.
///
/// Keys carry their role, so one topic serves three meeting points: a site account's home
/// (`site:<site account id>`), an ERP account's hub (`account:<account code>`), and the
/// matching directory of one normalised e-mail (`email:<pseudonym>`). Neither a site account
/// id nor an account code can contain ':', so the three never collide.
public enum CustomerRoute: Hashable, Sendable {
    /// A site account's home: its latest account, its link, its erasure.
    case site(SiteAccountID)
    /// An ERP account's hub: the account, its links, and the sync of each linked site account.
    case account(ERPAccountCode)
    /// The directory of the ERP people (b2c accounts, b2b contacts) with one normalised e-mail.
    case email(EmailMatchKey)

    /// The internal topic: written and read by customer-sync only.
    public static let topic = "bus.customer-sync.rekey"

    /// The record key.
    public var key: String {
        switch self {
        case .site(let id): "site:\(id.rawValue)"
        case .account(let code): "account:\(code.rawValue)"
        case .email(let match): "email:\(match.pseudonym)"
        }
    }

    /// The key under which the route's state is kept.
    var stateKey: String { key }

    /// The route a record key names, or nil for a key of none of the three forms.
    public init?(key: String) {
        guard let colon = key.firstIndex(of: ":") else { return nil }
        let value = String(key[key.index(after: colon)...])
        guard !value.isEmpty else { return nil }
        switch key[..<colon] {
        case "site": self = .site(SiteAccountID(value))
        case "account": self = .account(ERPAccountCode(value))
        case "email": self = .email(EmailMatchKey(pseudonym: value))
        default: return nil
        }
    }

    /// An output sending `message` to this route.
    func forward(_ message: any BusMessage) -> FlowOutput {
        FlowOutput(topic: Self.topic, key: key, message: message)
    }
}

/// A normalised e-mail's pseudonym: the key under which ERP people and site accounts with
/// that e-mail meet, without the e-mail itself appearing in keys, state keys or logs.
public struct EmailMatchKey: Hashable, Sendable, Codable {
    /// A name-based UUID of the normalised e-mail.
    public let pseudonym: String

    init(pseudonym: String) {
        self.pseudonym = pseudonym
    }

    /// The key of `email`, normalised.
    public init(email: String) {
        pseudonym = NameBasedUUID.v5(namespace: Self.namespace, name: Self.normalise(email))
    }

    /// An e-mail as matched: surrounding white space trimmed, case folded.
    public static func normalise(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Whether two e-mails are the same once normalised.
    public static func same(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        return normalise(a) == normalise(b)
    }

    // Fixed forever: changing it re-keys every directory.
    private static let namespace: [UInt8] = [
        0x3A, 0x91, 0x0C, 0x5E, 0x77, 0x24, 0x4F, 0x1B, 0xA2, 0x6D, 0xE8, 0x13, 0x9B, 0x40, 0xC5, 0x7F,
    ]
}
