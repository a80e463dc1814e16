import BusSchema

/// One site account linked to an ERP account, and the sync between them, kept in the hub.
public struct LinkState: Codable, Sendable, Equatable {
    /// The site account.
    public var siteAccountID: SiteAccountID
    /// b2b: the contact the site account is.
    public var contactID: ERPContactID?
    /// How the link was made.
    public var matchedBy: LinkMatch
    /// The site account's latest version (nil until it arrives).
    public var site: SiteCustomerAccount?
    /// What the last sync decided and sent (nil before the first).
    public var memory: SyncMemory?
    /// The conflict a person was told about, while it stands.
    public var conflict: OpenConflict?

    /// A new link.
    public init(siteAccountID: SiteAccountID, contactID: ERPContactID?, matchedBy: LinkMatch, site: SiteCustomerAccount? = nil) {
        self.siteAccountID = siteAccountID
        self.contactID = contactID
        self.matchedBy = matchedBy
        self.site = site
    }

    /// Syncs the two accounts: each side is sent the decided values when what it shows
    /// differs from them. An echo of an earlier update therefore sends nothing (no ping-pong).
    /// A conflict sends nothing but one business exception, raised once while it stands.
    mutating func judge(with account: ERPCustomerAccount, rules: CustomerSyncRules, cause: FlowInput) -> [FlowOutput] {
        guard let site else { return [] }
        let kind = account.kind
        let siteFields = CustomerFields.site(site, kind: kind)
        let erpFields = CustomerFields.erp(account, contact: contactID)
        let outcome = FieldMerge.merge(
            site: .init(fields: siteFields, updatedAt: site.updatedAt), erp: .init(fields: erpFields, updatedAt: account.updatedAt),
            memory: memory, kind: kind, rules: rules)
        switch outcome {
        case .conflict(let fields):
            let open = OpenConflict(fields: fields, siteUpdatedAt: site.updatedAt, erpUpdatedAt: account.updatedAt)
            guard conflict != open else { return [] }
            conflict = open
            return [open.exception(site: siteAccountID, account: account.accountCode, rules: rules, cause: cause)]
        case .merged(let merged):
            conflict = nil
            var next = FieldMerge.remember(merged, site: siteFields, erp: erpFields, after: memory)
            var outputs: [FlowOutput] = []
            let carried = CustomerField.carriedToSite(kind)
            let toSite = merged.restricted(to: carried)
            // What the site shows: what it reports, and for what it does not report (price
            // list, terms, status), what it was last sent.
            var siteShows = siteFields.restricted(to: carried.intersection(CustomerField.reportedBySite))
            for field in carried.subtracting(CustomerField.reportedBySite) { siteShows[field] = memory?.sentToSite?[field] }
            if toSite != siteShows {
                outputs.append(CustomerOutputs.toSite(CustomerUpdates.update(merged, account: account, site: site)))
                next.sentToSite = toSite
            }
            let toERP = merged.restricted(to: CustomerField.carriedToERP)
            if toERP != erpFields.restricted(to: CustomerField.carriedToERP) {
                outputs.append(CustomerOutputs.toERP(CustomerUpdates.update(merged, account: account, link: self, site: site),
                                                     key: account.accountCode.rawValue))
                next.sentToERP = toERP
            }
            memory = next
            return outputs
        }
    }

    /// The link as the public identity table shows it, with what order-ingest needs of the
    /// account (`AccountTerms`) while linked.
    func identity(_ code: ERPAccountCode, _ status: LinkStatus, at time: Instant, account: ERPCustomerAccount? = nil) -> IdentityLink {
        let terms = status == .linked ? account.map(AccountTerms.init) : nil
        return IdentityLink(siteAccountID: siteAccountID, erpAccountCode: code, erpContactID: contactID, status: status, matchedBy: matchedBy,
                            changedAt: time, priceList: terms?.priceList, paymentTerms: terms?.paymentTerms, creditLimit: terms?.creditLimit,
                            accountStatus: terms?.status)
    }
}

/// Shared fields both sides changed too close together to order, as a person was told.
public struct OpenConflict: Codable, Sendable, Equatable {
    /// The fields, sorted.
    public var fields: [CustomerField]
    /// The site account's `updated_at` when the conflict was seen.
    public var siteUpdatedAt: Instant
    /// The ERP account's `updated_at` when the conflict was seen.
    public var erpUpdatedAt: Instant

    /// The business exception telling a person: field names, times and ids only.
    func exception(site: SiteAccountID, account: ERPAccountCode, rules: CustomerSyncRules, cause: FlowInput) -> FlowOutput {
        let names = fields.map(\.rawValue).joined(separator: ", ")
        return CustomerOutputs.exception(
            .customerConflict, site: site,
            reason: "The site and the ERP both changed \(names) within \(rules.orderingToleranceMs) ms of each other; a person must decide which value stands.",
            details: ["fields": names, "erp_account_code": account.rawValue, "site_updated_at": siteUpdatedAt.description,
                      "erp_updated_at": erpUpdatedAt.description, "rule": "timestamps_too_close"],
            cause: cause.envelope, at: max(siteUpdatedAt, erpUpdatedAt))
    }
}
