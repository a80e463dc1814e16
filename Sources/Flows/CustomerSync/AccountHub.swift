import BusSchema

/// An ERP account's hub: the account, the site accounts linked to it, and their sync.
///
/// Every change to one customer meets here: the ERP account arrives from `erp.customers`,
/// each linked site account from its home. The hub also keeps the e-mail directories current
/// with the account's people, makes the links the ERP asks for (an account that carries the
/// site id it was created from) and those a directory proposes (a unique e-mail match), and
/// undoes a b2b link whose contact left the company.
public struct AccountHub: Codable, Sendable, Equatable {
    /// The account's latest version; nil after a b2c erasure until the ERP sends it again.
    public var account: ERPCustomerAccount?
    /// The directory entries last sent, by e-mail pseudonym.
    public var directoryEntries: [String: [DirectoryEntry]] = [:]
    /// The links, sorted by site account id.
    public var links: [LinkState] = []

    /// An empty hub.
    public init(account: ERPCustomerAccount? = nil) {
        self.account = account
    }

    /// Whether it holds nothing (and can be forgotten).
    var isEmpty: Bool { account == nil && links.isEmpty && directoryEntries.isEmpty }

    // MARK: From the ERP

    /// A new version of the account. A version older than the one held (a replay after later
    /// ones, a late re-send) changes nothing.
    mutating func receive(_ account: ERPCustomerAccount, rules: CustomerSyncRules, cause: FlowInput) -> [FlowOutput] {
        guard self.account != account, !(self.account.map { account.updatedAt < $0.updatedAt } ?? false) else { return [] }
        let previous = self.account
        self.account = account
        let code = account.accountCode
        var outputs = updateDirectories(with: account)

        // A b2b contact who left the company: the link is undone and the site account is
        // matched again (it finds its new company if that company lists the e-mail).
        for link in links where link.contactID.map({ id in !account.contacts.contains { $0.contactID == id } }) ?? false {
            links.removeAll { $0.siteAccountID == link.siteAccountID }
            let unlinked = link.identity(code, .unlinked, at: cause.envelope.time)
            outputs += [CustomerOutputs.identity(unlinked), CustomerRoute.site(link.siteAccountID).forward(unlinked)]
        }

        // The ERP created this account for a site account: link them.
        if let site = account.siteAccountID, !links.contains(where: { $0.siteAccountID == site }) {
            let contact = account.kind == .b2b ? (account.contacts.first(where: \.isPrimary) ?? account.contacts.first)?.contactID : nil
            outputs += link(LinkState(siteAccountID: site, contactID: contact, matchedBy: .createdInErp), to: code, at: cause.envelope.time)
        }

        for index in links.indices {
            outputs += links[index].judge(with: account, rules: rules, cause: cause)
        }
        // order-ingest judges price-list prices, orders on account, credit limits and blocks by
        // the identity table: new terms are written to every link of the account.
        if let previous, AccountTerms(previous) != AccountTerms(account) {
            outputs += links.map { CustomerOutputs.identity($0.identity(code, .linked, at: cause.envelope.time, account: account)) }
        }
        return outputs
    }

    /// Sends the account to every directory whose entries for it changed: the new e-mails
    /// add it, the old ones drop it.
    private mutating func updateDirectories(with account: ERPCustomerAccount) -> [FlowOutput] {
        let now = Dictionary(uniqueKeysWithValues: account.directoryEntries.map { ($0.key.pseudonym, $0.value) })
        let changed = Set(now.keys).union(directoryEntries.keys).filter { now[$0] != directoryEntries[$0] }.sorted()
        directoryEntries = now
        return changed.map { CustomerRoute.email(EmailMatchKey(pseudonym: $0)).forward(account) }
    }

    /// Adds `link` and tells the identity table and the site account's home.
    private mutating func link(_ link: LinkState, to code: ERPAccountCode, at time: Instant) -> [FlowOutput] {
        links.append(link)
        links.sort { $0.siteAccountID < $1.siteAccountID }
        let identity = link.identity(code, .linked, at: time, account: account)
        return [CustomerOutputs.identity(identity), CustomerRoute.site(link.siteAccountID).forward(identity)]
    }

    // MARK: From a site account's home, or a directory

    /// A site account: a new version of a linked one, or one a directory matched to this
    /// account by e-mail (linked when exactly one of the account's people has that e-mail).
    mutating func receive(_ site: SiteCustomerAccount, rules: CustomerSyncRules, cause: FlowInput) -> [FlowOutput] {
        if let index = links.firstIndex(where: { $0.siteAccountID == site.siteAccountID }) {
            guard links[index].site != site, !site.isOlder(than: links[index].site) else { return [] }
            links[index].site = site
            guard let account else { return [] }
            return links[index].judge(with: account, rules: rules, cause: cause)
        }
        guard let account else { return [] }
        let people = account.people.filter { EmailMatchKey.same($0.email, site.email) }
        // The directory saw one person; a later version of the account may disagree, and
        // then the home's next version is matched again.
        guard people.count == 1 else { return [] }
        var outputs = link(LinkState(siteAccountID: site.siteAccountID, contactID: people[0].contactID, matchedBy: .email, site: site),
                           to: account.accountCode, at: cause.envelope.time)
        if let index = links.firstIndex(where: { $0.siteAccountID == site.siteAccountID }) {
            outputs += links[index].judge(with: account, rules: rules, cause: cause)
        }
        return outputs
    }

    /// The site's erasure of a linked account: the ERP is asked to anonymise the person (the
    /// b2c account, or the b2b contact), the site's updates and the identity link are
    /// tombstoned after every earlier output, and the hub forgets the person's data and takes
    /// them out of the directories.
    mutating func receive(_ erasure: ErasureRequest, code: ERPAccountCode) -> [FlowOutput] {
        let site = erasure.siteAccountID
        guard let index = links.firstIndex(where: { $0.siteAccountID == site }) else { return [] }
        let link = links.remove(at: index)
        var outputs: [FlowOutput] = []
        if let account, account.kind == .b2c || link.contactID != nil {
            outputs.append(CustomerOutputs.toERP(
                CustomerUpdates.erase(account: code, contact: link.contactID, site: site, at: erasure.requestedAt), key: code.rawValue))
            var forgotten = account
            if account.kind == .b2c {
                self.account = nil
            } else {
                forgotten.contacts.removeAll { $0.contactID == link.contactID }
                self.account = forgotten
            }
            // The directories drop this account's entries under the person's e-mail.
            var forDirectories = erasure
            forDirectories.erpAccountCode = code
            let remaining = self.account.map { Dictionary(uniqueKeysWithValues: $0.directoryEntries.map { ($0.key.pseudonym, $0.value) }) } ?? [:]
            let changed = Set(directoryEntries.keys).filter { remaining[$0] != directoryEntries[$0] }.sorted()
            directoryEntries = remaining
            outputs += changed.map { pseudonym in
                let directory = CustomerRoute.email(EmailMatchKey(pseudonym: pseudonym))
                // Where someone of the account remains, the directory reads who from the account.
                if remaining[pseudonym] == nil { return directory.forward(forDirectories) }
                return directory.forward(forgotten)
            }
        }
        outputs += [CustomerOutputs.tombstoneSiteUpdates(site), CustomerOutputs.tombstoneIdentity(site)]
        return outputs
    }

    /// The site account's home moved it to another account: stop syncing it here.
    mutating func receive(_ unlinked: IdentityLink) {
        guard unlinked.status == .unlinked else { return }
        links.removeAll { $0.siteAccountID == unlinked.siteAccountID }
    }
}
