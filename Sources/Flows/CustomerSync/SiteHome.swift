import BusSchema

/// A site account's home: where its changes arrive and are sent on to be judged.
///
/// It keeps the account's latest version and its link. A linked account goes to its ERP
/// account's hub; an unlinked one, once its e-mail is verified, to the directory of its
/// e-mail to be matched. An erased account keeps only the erasure request (ids, reason and
/// time: nothing personal), so an ERP account that claims it later is erased too, and an
/// older version replayed after the erasure brings nothing back.
public struct SiteHome: Codable, Sendable, Equatable {
    /// The latest version from the site; nil once erased.
    public var account: SiteCustomerAccount?
    /// The ERP account (and b2b contact) it is linked to.
    public var link: HomeLink?
    /// The erasure, once requested.
    public var erasure: ErasureRequest?

    /// A home holding the given values.
    public init(account: SiteCustomerAccount? = nil, link: HomeLink? = nil, erasure: ErasureRequest? = nil) {
        self.account = account
        self.link = link
        self.erasure = erasure
    }

    /// A new version of the account from the site. A version older than the one held (a
    /// replay after later ones, a late re-send) changes nothing.
    mutating func receive(_ account: SiteCustomerAccount, rules: CustomerSyncRules) -> [FlowOutput] {
        guard erasure == nil, self.account != account, !account.isOlder(than: self.account) else { return [] }
        let previous = self.account
        self.account = account
        if let link { return [CustomerRoute.account(link.erpAccountCode).forward(account)] }
        var outputs: [FlowOutput] = []
        // A new e-mail leaves the old one's directory, which then forgets this account.
        if let previous, previous.matchKey != account.matchKey, previous.isMatchable(rules) {
            outputs.append(CustomerRoute.email(previous.matchKey).forward(account))
        }
        if account.isMatchable(rules) { outputs.append(CustomerRoute.email(account.matchKey).forward(account)) }
        return outputs
    }

    /// The site's erasure request: the identity link and the creation request are tombstoned
    /// here, the linked hub (or the directory) is told, and the account's data is forgotten.
    mutating func receive(_ erasure: ErasureRequest, site: SiteAccountID) -> [FlowOutput] {
        guard self.erasure == nil else { return [] }
        var outputs = [CustomerOutputs.tombstoneIdentity(site), CustomerOutputs.tombstoneCreation(site),
                       // Every worker that keeps orders erases the person's from this notice.
                       CustomerOutputs.erasureNotice(erasure), ErasureNotice(erasure).completion(by: CustomerOutputs.worker)]
        if let link {
            // The hub erases the ERP side and tombstones the site's updates after its last one.
            outputs.append(CustomerRoute.account(link.erpAccountCode).forward(erasure))
        } else {
            // An unlinked account may still have updates from an earlier link.
            outputs.append(CustomerOutputs.tombstoneSiteUpdates(site))
            if let account {
                var forDirectory = erasure
                forDirectory.erpAccountCode = nil  // the directory must not drop that account's entries
                outputs.append(CustomerRoute.email(account.matchKey).forward(forDirectory))
            }
        }
        self = SiteHome(erasure: erasure)
        return outputs
    }

    /// A link made or undone by a hub.
    mutating func receive(_ link: IdentityLink, rules: CustomerSyncRules) -> [FlowOutput] {
        let target = HomeLink(erpAccountCode: link.erpAccountCode, contactID: link.erpContactID)
        if let erasure {
            // An ERP account claimed an erased site account: erase it too.
            return link.status == .linked ? [CustomerRoute.account(link.erpAccountCode).forward(erasure)] : []
        }
        switch link.status {
        case .linked:
            guard self.link != target else { return [] }
            var outputs: [FlowOutput] = []
            if let previous = self.link, previous.erpAccountCode != target.erpAccountCode {
                // The old hub must stop syncing this account.
                outputs.append(CustomerRoute.account(previous.erpAccountCode).forward(
                    IdentityLink(siteAccountID: link.siteAccountID, erpAccountCode: previous.erpAccountCode, erpContactID: previous.contactID,
                                 status: .unlinked, matchedBy: link.matchedBy, changedAt: link.changedAt)))
            }
            self.link = target
            if let account { outputs.append(CustomerRoute.account(target.erpAccountCode).forward(account)) }
            return outputs
        case .unlinked:
            guard self.link?.erpAccountCode == target.erpAccountCode else { return [] }
            self.link = nil
            // Matched again: a b2b contact who moved company meets the new one. The directory
            // hears of the old link first, so the person is never created in the ERP again.
            guard let account, account.isMatchable(rules) else { return [] }
            let directory = CustomerRoute.email(account.matchKey)
            return [directory.forward(link), directory.forward(account)]
        }
    }
}

/// The ERP side of a site account's link.
public struct HomeLink: Codable, Sendable, Equatable {
    /// The ERP account (for b2b, the company).
    public var erpAccountCode: ERPAccountCode
    /// b2b: the contact the site account is.
    public var contactID: ERPContactID?

    /// A link to `erpAccountCode` (and `contactID`).
    public init(erpAccountCode: ERPAccountCode, contactID: ERPContactID? = nil) {
        self.erpAccountCode = erpAccountCode
        self.contactID = contactID
    }
}

extension SiteCustomerAccount {
    /// Whether this version was changed before `held`.
    func isOlder(than held: SiteCustomerAccount?) -> Bool {
        held.map { updatedAt < $0.updatedAt } ?? false
    }

    /// The directory its e-mail belongs to.
    var matchKey: EmailMatchKey { EmailMatchKey(email: email) }

    /// Whether it may be matched or created in the ERP: only verified e-mails, unless the rules say otherwise.
    func isMatchable(_ rules: CustomerSyncRules) -> Bool {
        emailVerified || rules.matchUnverifiedEmail
    }
}
