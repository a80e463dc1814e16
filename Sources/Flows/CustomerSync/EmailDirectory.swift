import BusSchema

/// The ERP people with one normalised e-mail, where unlinked site accounts are matched.
///
/// A site account meeting exactly one person is sent to that person's account hub, which
/// links it; meeting nobody, it becomes a creation request to the ERP (once); meeting two or
/// more (two accounts with the e-mail, a contact claimed by two companies), it is neither
/// linked nor created, and a person gets one business exception per set of candidates. A site
/// account that was linked before (a b2b contact between two companies) is never created.
/// The directory holds account codes and contact ids only.
public struct EmailDirectory: Codable, Sendable, Equatable {
    /// The people with this e-mail, sorted.
    public var entries: [DirectoryEntry] = []
    /// What this directory answered each unlinked site account, by site account id.
    public var answers: [String: DirectoryAnswer] = [:]

    /// An empty directory.
    public init(entries: [DirectoryEntry] = [], answers: [String: DirectoryAnswer] = [:]) {
        self.entries = entries
        self.answers = answers
    }

    /// Whether it holds nothing (and can be forgotten).
    var isEmpty: Bool { entries.isEmpty && answers.isEmpty }

    /// A new version of an ERP account that had or has people here.
    mutating func receive(_ account: ERPCustomerAccount, key: EmailMatchKey) {
        entries.removeAll { $0.erpAccountCode == account.accountCode }
        entries += account.directoryEntries[key] ?? []
        entries.sort()
        // The ERP created the account this directory asked for.
        if let site = account.siteAccountID, answers[site.rawValue] == .creationRequested { answers[site.rawValue] = nil }
    }

    /// An unlinked site account to match (or, when its e-mail is not this one, one that left).
    mutating func receive(_ account: SiteCustomerAccount, key: EmailMatchKey, cause: FlowInput) -> [FlowOutput] {
        let site = account.siteAccountID
        guard account.matchKey == key else {
            answers[site.rawValue] = nil
            return []
        }
        switch entries.count {
        case 0:
            // Asked once; and never for an account the ERP already had.
            guard answers[site.rawValue] == nil else { return [] }
            answers[site.rawValue] = .creationRequested
            return [CustomerOutputs.toERP(CustomerUpdates.creation(from: account), key: CustomerOutputs.creationKey(site))]
        case 1:
            answers[site.rawValue] = nil
            return [CustomerRoute.account(entries[0].erpAccountCode).forward(account)]
        default:
            let answer = DirectoryAnswer.ambiguous(entries)
            guard answers[site.rawValue] != answer else { return [] }
            answers[site.rawValue] = answer
            let codes = entries.map(\.description).joined(separator: ", ")
            return [CustomerOutputs.exception(
                .customerConflict, site: site,
                reason: "The site account's verified e-mail matches \(entries.count) ERP people; a person must choose the account to link it to.",
                details: ["candidates": codes, "rule": "ambiguous_identity"], cause: cause.envelope, at: account.updatedAt)]
        }
    }

    /// A site account whose link was undone: if nobody here has its e-mail, it waits for
    /// someone to, rather than being created in the ERP a second time.
    mutating func receive(_ unlinked: IdentityLink) {
        guard unlinked.status == .unlinked else { return }
        answers[unlinked.siteAccountID.rawValue] = .formerlyLinked
    }

    /// An erasure: the site account is forgotten, and so are the people of the erased ERP account.
    mutating func receive(_ erasure: ErasureRequest) {
        answers[erasure.siteAccountID.rawValue] = nil
        if let code = erasure.erpAccountCode { entries.removeAll { $0.erpAccountCode == code } }
    }
}

/// One ERP person in a directory: a b2c account, or a b2b account's contact.
public struct DirectoryEntry: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The account (for b2b, the company).
    public var erpAccountCode: ERPAccountCode
    /// b2b: the contact.
    public var contactID: ERPContactID?

    /// An entry.
    public init(erpAccountCode: ERPAccountCode, contactID: ERPContactID? = nil) {
        self.erpAccountCode = erpAccountCode
        self.contactID = contactID
    }

    public static func < (lhs: DirectoryEntry, rhs: DirectoryEntry) -> Bool {
        (lhs.erpAccountCode.rawValue, lhs.contactID?.rawValue ?? "") < (rhs.erpAccountCode.rawValue, rhs.contactID?.rawValue ?? "")
    }

    /// "C000123" or "C000123/CT-0091": ids only.
    public var description: String {
        contactID.map { "\(erpAccountCode.rawValue)/\($0.rawValue)" } ?? erpAccountCode.rawValue
    }
}

/// What a directory answered a site account.
public enum DirectoryAnswer: Codable, Sendable, Equatable {
    /// Nobody has the e-mail: the ERP was asked to create the account.
    case creationRequested
    /// Several people have it: a person was asked to decide between them.
    case ambiguous([DirectoryEntry])
    /// It was linked before and lost the link: it waits for a match and is not created.
    case formerlyLinked
}
