import BusSchema

/// The update messages customer-sync sends, built from the decided values.
///
/// Updates carry every field their message has, each time ("absent" means "none"): a field
/// the bus does not sync towards that side carries that side's own value back, unchanged.
/// Ids are set by `CustomerOutputs` from the content.
enum CustomerUpdates {
    /// A request that the ERP create an account for `site`, with everything the site knows.
    static func creation(from site: SiteCustomerAccount) -> ERPCustomerUpdate {
        ERPCustomerUpdate(
            updateID: CustomerOutputs.pendingID, action: .create, siteAccountID: site.siteAccountID,
            kind: site.companyName == nil ? .b2c : .b2b, companyName: site.companyName, vatNumber: site.vatNumber,
            firstName: site.firstName, lastName: site.lastName, email: site.email, phone: site.phone,
            language: site.language, addresses: site.addresses, changedAt: site.updatedAt)
    }

    /// The ERP's account as the bus decided it, for the link's site account (b2b: its contact).
    static func update(_ merged: CustomerFields, account: ERPCustomerAccount, link: LinkState, site: SiteCustomerAccount) -> ERPCustomerUpdate {
        let contact = link.contactID.flatMap { id in account.contacts.first { $0.contactID == id } }
        let b2b = account.kind == .b2b
        return ERPCustomerUpdate(
            updateID: CustomerOutputs.pendingID, action: .update, accountCode: account.accountCode, siteAccountID: link.siteAccountID,
            companyName: b2b ? merged.text(.legalName) : account.companyName,
            vatNumber: merged.text(.vatNumber),
            firstName: b2b ? contact?.firstName : merged.personName.first,
            lastName: b2b ? contact?.lastName : merged.personName.last,
            email: merged.text(.email), phone: merged.text(.phone), language: merged.language,
            addresses: merged.addressBook, changedAt: site.updatedAt, contactID: link.contactID)
    }

    /// The site's account as the bus decided it.
    static func update(_ merged: CustomerFields, account: ERPCustomerAccount, site: SiteCustomerAccount) -> SiteCustomerUpdate {
        SiteCustomerUpdate(
            updateID: CustomerOutputs.pendingID, action: .update, siteAccountID: site.siteAccountID, erpAccountCode: account.accountCode,
            status: merged.status,
            companyName: account.kind == .b2b ? merged.text(.legalName) : site.companyName,
            vatNumber: merged.text(.vatNumber),
            priceList: merged.text(.priceList).map(PriceListCode.init),
            paymentTerms: merged.text(.paymentTerms).map(Code.init),
            addresses: merged.addressBook, changedAt: account.updatedAt)
    }

    /// A request that the ERP anonymise what it holds of the site account's person: the b2c
    /// account, or the b2b contact. No personal data.
    static func erase(account: ERPAccountCode, contact: ERPContactID?, site: SiteAccountID, at time: Instant) -> ERPCustomerUpdate {
        ERPCustomerUpdate(updateID: CustomerOutputs.pendingID, action: .erase, accountCode: account, siteAccountID: site,
                          addresses: [], changedAt: time, contactID: contact)
    }
}
