import BusSchema

/// The ERP's customer accounts: it creates the accounts the bus asks for, applies the
/// changes the bus sends, and has its own edits. Returns the accounts to publish.
struct ERPCustomerBook {
    private(set) var accounts: [ERPAccountCode: ERPCustomerAccount] = [:]
    /// The account created for each site account, or linked at opening.
    private(set) var codeBySite: [SiteAccountID: ERPAccountCode] = [:]
    /// The account created for each site account that asked.
    private var createdFor: [SiteAccountID: ERPAccountCode] = [:]
    /// Updates applied per account, to notice a bus that never stops sending them.
    private(set) var appliedUpdates: [ERPAccountCode: Int] = [:]
    /// Updates the ERP could not apply (an account it does not have...).
    private(set) var refused: [String] = []
    private var taken: Set<ERPAccountCode> = []
    private let run: RunTag

    init(accounts: [ERPCustomerAccount], run: RunTag) {
        self.run = run
        for account in accounts {
            self.accounts[account.accountCode] = account
            taken.insert(account.accountCode)
        }
    }

    /// Applies an update from the bus: a create allocates an account code (a stable one,
    /// derived from the site account id, so a seed gives the same codes), an update changes
    /// the fields the bus syncs. Returns the account as the ERP now publishes it, if changed.
    mutating func apply(_ update: ERPCustomerUpdate) throws -> ERPCustomerAccount? {
        switch update.action {
        case .create:
            if createdFor[update.siteAccountID] != nil { return nil }
            let code = allocate(for: update.siteAccountID)
            let account = ERPCustomerAccount(
                accountCode: code, kind: update.kind ?? .b2c, status: .active,
                companyName: update.companyName ?? (update.kind == .b2b ? update.lastName : nil), vatNumber: update.vatNumber,
                firstName: update.firstName, lastName: update.lastName, email: update.email, phone: update.phone,
                language: try update.language ?? DemoValues.language("fr"), currency: DemoValues.currency, paymentTerms: "PREPAID",
                addresses: update.addresses, contacts: [], updatedAt: try later(than: nil, update.changedAt), source: .bus,
                siteAccountID: update.siteAccountID)
            accounts[code] = account
            codeBySite[update.siteAccountID] = code
            createdFor[update.siteAccountID] = code
            return account
        case .update:
            guard let code = update.accountCode, var account = accounts[code] else {
                refused.append("update of unknown account \(update.accountCode?.rawValue ?? "none")")
                return nil
            }
            let before = account
            if let contact = update.contactID, let index = account.contacts.firstIndex(where: { $0.contactID == contact }) {
                if let first = update.firstName { account.contacts[index].firstName = first }
                if let last = update.lastName { account.contacts[index].lastName = last }
                account.contacts[index].email = update.email
                account.contacts[index].phone = update.phone
                if let company = update.companyName { account.companyName = company }
            } else {
                account.firstName = update.firstName ?? account.firstName
                account.lastName = update.lastName ?? account.lastName
                account.email = update.email
                account.phone = update.phone
                if account.kind == .b2b, let company = update.companyName { account.companyName = company }
            }
            // The ERP has one language per account, a company's included.
            if let language = update.language { account.language = language }
            account.vatNumber = update.vatNumber
            account.addresses = update.addresses
            guard account != before else { return nil }
            account.updatedAt = try later(than: before.updatedAt, update.changedAt)
            account.source = .bus
            accounts[code] = account
            appliedUpdates[code, default: 0] += 1
            return account
        case .erase:
            guard let code = update.accountCode, var account = accounts[code] else { return nil }
            if let contact = update.contactID {
                account.contacts.removeAll { $0.contactID == contact }
            } else {
                account.firstName = nil
                account.lastName = "ANONYMISED"
                account.email = nil
                account.phone = nil
                account.addresses = []
            }
            account.updatedAt = try later(than: account.updatedAt, update.changedAt)
            account.source = .bus
            accounts[code] = account
            return account
        }
    }

    /// The ERP's own edit of the account linked to `site` (or of `code`).
    mutating func edit(site: SiteAccountID? = nil, code: ERPAccountCode? = nil, at time: Instant,
                       _ change: (inout ERPCustomerAccount) -> Void) throws -> ERPCustomerAccount? {
        guard let code = code ?? site.flatMap({ codeBySite[$0] }), var account = accounts[code] else { return nil }
        change(&account)
        account.updatedAt = try later(than: account.updatedAt, time)
        account.source = .erp
        accounts[code] = account
        return account
    }

    /// Remembers which ERP account a site account was matched to at opening.
    mutating func know(_ site: SiteAccountID, as code: ERPAccountCode) {
        codeBySite[site] = code
    }

    private mutating func allocate(for site: SiteAccountID) -> ERPAccountCode {
        // FNV-1a of the id without its run tag: the same seed gives the same codes in every
        // run; a collision takes the next free number.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        let suffix = "-\(run.id)"
        let base = site.rawValue.hasSuffix(suffix) ? String(site.rawValue.dropLast(suffix.count)) : site.rawValue
        for byte in base.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var number = Int(hash % 900_000) + 100_000
        while taken.contains(ERPAccountCode(run.tagged("C\(number)"))) { number = number % 999_999 + 1 }
        let code = ERPAccountCode(run.tagged("C\(number)"))
        taken.insert(code)
        return code
    }

    /// `time`, or a second after `previous` when that is later: an account's changes are in order.
    private func later(than previous: Instant?, _ time: Instant) throws -> Instant {
        guard let previous, previous >= time else { return time }
        return try required(Instant(secondsSinceEpoch: previous.secondsSinceEpoch + 1), "instant")
    }
}
