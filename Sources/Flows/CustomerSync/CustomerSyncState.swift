import BusSchema

/// The state customer-sync keeps under one key: one of its three meeting points.
public enum CustomerSyncState: Codable, Sendable, Equatable {
    /// A site account's home (`site:<id>`).
    case home(SiteHome)
    /// An ERP account's hub (`account:<code>`).
    case hub(AccountHub)
    /// An e-mail's matching directory (`email:<pseudonym>`).
    case directory(EmailDirectory)
}

extension FlowState where Value == CustomerSyncState {
    /// The home of a site account; setting nil forgets it.
    subscript(home id: SiteAccountID) -> SiteHome? {
        get { if case .home(let home)? = self[CustomerRoute.site(id).stateKey] { return home } else { return nil } }
        set { self[CustomerRoute.site(id).stateKey] = newValue.map(CustomerSyncState.home) }
    }

    /// The hub of an ERP account; setting nil forgets it.
    subscript(hub code: ERPAccountCode) -> AccountHub? {
        get { if case .hub(let hub)? = self[CustomerRoute.account(code).stateKey] { return hub } else { return nil } }
        set { self[CustomerRoute.account(code).stateKey] = newValue.map(CustomerSyncState.hub) }
    }

    /// The directory of an e-mail; setting nil forgets it.
    subscript(directory key: EmailMatchKey) -> EmailDirectory? {
        get { if case .directory(let directory)? = self[CustomerRoute.email(key).stateKey] { return directory } else { return nil } }
        set { self[CustomerRoute.email(key).stateKey] = newValue.map(CustomerSyncState.directory) }
    }
}

/// One person of an ERP account as matching sees it: the b2c account itself, or one b2b contact.
struct ERPPerson: Equatable {
    var contactID: ERPContactID?
    var email: String?
}

extension ERPCustomerAccount {
    /// The people a site account can be: the account itself for b2c, each contact for b2b.
    var people: [ERPPerson] {
        switch kind {
        case .b2c: [ERPPerson(contactID: nil, email: email)]
        case .b2b: contacts.map { ERPPerson(contactID: $0.contactID, email: $0.email) }
        }
    }

    /// The directory entries of this account, by e-mail key (people without an e-mail have none).
    var directoryEntries: [EmailMatchKey: [DirectoryEntry]] {
        var entries: [EmailMatchKey: [DirectoryEntry]] = [:]
        for person in people {
            guard let email = person.email else { continue }
            entries[EmailMatchKey(email: email), default: []].append(DirectoryEntry(erpAccountCode: accountCode, contactID: person.contactID))
        }
        return entries.mapValues { $0.sorted() }
    }
}
