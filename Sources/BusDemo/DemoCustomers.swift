import BusSchema
import Foundation

/// How a site account must end up linked to the ERP.
enum ExpectedLink: Sendable, Equatable {
    /// Nobody in the ERP has the e-mail: the ERP creates the account at the bus's request.
    case createdInERP
    /// Matched by e-mail to an ERP b2c account, or to a company's contact.
    case matched(ERPAccountCode, contact: ERPContactID?)
}

/// A customer signing up on the site at opening time.
struct SignUp: Sendable {
    let account: SiteCustomerAccount
    let expected: ExpectedLink
    /// Whether the person buys for a company (b2b price list, larger quantities).
    var isBusiness: Bool { if case .matched(_, contact: .some) = expected { return true } else { return false } }
}

/// The customers of the day: b2b companies with their contacts and a few private customers
/// already in the ERP, and the site accounts that sign up (most of them new to the ERP).
///
/// Names, e-mails and phones are made up; the report never prints them.
struct DemoCustomers: Sendable {
    /// Accounts the ERP has before the day starts.
    let erpAccounts: [ERPCustomerAccount]
    /// Accounts signing up on the site, in order.
    let signUps: [SignUp]
    /// The contacts of the companies on particular terms (#17), who order only their case's
    /// order: their accounts would hold any other order of the day.
    let overLimitBuyer: SiteAccountID
    let blockedBuyer: SiteAccountID
    /// The credit limit of the over-limit buyer's company: below any order it places.
    static let creditLimit = DemoValues.euros(2000)

    private static let firstNames = ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Arthur", "Inès", "Paul", "Sarah", "Nathan"]
    private static let lastNames = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent"]
    private static let cities: [(city: String, postalCode: String)] = [
        ("Paris", "75011"), ("Lyon", "69002"), ("Marseille", "13001"), ("Bordeaux", "33000"), ("Lille", "59000"), ("Nantes", "44000"), ("Toulouse", "31000"),
    ]
    private static let companies = ["Atelier Lumière SARL", "Maison Verte SAS", "Café des Arts", "Librairie du Port"]

    /// `privateSignUps` new private customers, plus the existing ones and company contacts.
    init(clock: DayClock, random: inout SeededRandom, run: RunTag, privateSignUps: Int) throws {
        let fr = try DemoValues.language("fr"), en = try DemoValues.language("en")
        let before = try clock.at(hour: 5)
        var accounts: [ERPCustomerAccount] = []
        var signUps: [SignUp] = []
        var person = 0

        func makePerson() -> (first: String, last: String, email: String, phone: String) {
            person += 1
            let first = Self.firstNames[(person * 7) % Self.firstNames.count], last = Self.lastNames[(person * 5) % Self.lastNames.count]
            let email = run.email("\(first.lowercased().folding()).\(last.lowercased()).\(person)", domain: "example.com")
            return (first, last, email, "+336" + String(10_000_000 + person * 7919 % 89_999_999))
        }
        func address(_ id: String, _ name: String?, company: String? = nil, billing: Bool, shipping: Bool) throws -> AccountAddress {
            let place = Self.cities[random.int(in: 0...(Self.cities.count - 1))]
            return AccountAddress(addressID: Code(id), address: PostalAddress(
                recipientName: name, companyName: company, lines: ["\(random.int(in: 1...120)) rue de la République"],
                postalCode: place.postalCode, city: place.city, country: try DemoValues.country("FR")),
                isDefaultBilling: billing, isDefaultShipping: shipping)
        }
        func siteAccount(_ id: String, _ who: (first: String, last: String, email: String, phone: String), company: String? = nil,
                         vat: String? = nil, language: LanguageCode, addresses: [AccountAddress]) -> SiteCustomerAccount {
            SiteCustomerAccount(
                siteAccountID: SiteAccountID(run.tagged(id)), email: who.email, emailVerified: true, phone: who.phone, firstName: who.first, lastName: who.last,
                companyName: company, vatNumber: vat, language: language, addresses: addresses,
                consents: [Consent(purpose: .marketingEmail, granted: random.chance(40), updatedAt: before)],
                createdAt: before, updatedAt: before, source: .site)
        }

        // Companies, each with three contacts; the first two sign up on the site.
        for (index, company) in Self.companies.enumerated() {
            let code = ERPAccountCode(run.tagged("C2\(String(format: "%04d", index + 1))"))
            let vat = "FR\(String(format: "%02d", 40 + index))123456\(String(format: "%03d", 824 + index))"
            let language = index == 3 ? en : fr
            let people = (0..<3).map { _ in makePerson() }
            let contacts = people.enumerated().map { offset, who in
                ERPContact(contactID: ERPContactID(run.tagged("CT-\(index + 1)\(offset + 1)")), firstName: who.first, lastName: who.last, email: who.email,
                           phone: who.phone, role: offset == 0 ? "Achats" : nil, isPrimary: offset == 0)
            }
            let book = [try address("BILL-1", "Service comptabilité", company: company, billing: true, shipping: false),
                        try address("SHIP-1", "Réception", company: company, billing: false, shipping: true)]
            accounts.append(ERPCustomerAccount(
                accountCode: code, kind: .b2b, status: .active, companyName: company, vatNumber: vat, email: run.email("compta\(index + 1)", domain: "example.com"),
                language: language, currency: DemoValues.currency, priceList: DemoCatalogue.priceList, paymentTerms: "NET30",
                addresses: book, contacts: contacts, updatedAt: before, source: .erp))
            for (offset, who) in people.prefix(2).enumerated() {
                // The first company's second contact reads the site in English while the
                // company's language is French: the ERP keeps one language per account, so
                // the company's must win (it once made two contacts overwrite it in turn).
                let speaks = index == 0 && offset == 1 ? en : language
                let site = siteAccount("acc-b\(index + 1)\(offset + 1)", who, company: company, vat: vat, language: speaks, addresses: book)
                signUps.append(SignUp(account: site, expected: .matched(code, contact: contacts[offset].contactID)))
            }
        }

        // Private customers the ERP already knows (phone and shop orders): matched by e-mail.
        for index in 0..<6 {
            let who = makePerson()
            let code = ERPAccountCode(run.tagged("C1\(String(format: "%04d", index + 1))"))
            let book = [try address("home", "\(who.first) \(who.last)", billing: true, shipping: true)]
            accounts.append(ERPCustomerAccount(
                accountCode: code, kind: .b2c, status: .active, firstName: who.first, lastName: who.last, email: who.email, phone: who.phone,
                language: fr, currency: DemoValues.currency, paymentTerms: "PREPAID", addresses: book, contacts: [], updatedAt: before, source: .erp))
            signUps.append(SignUp(account: siteAccount("acc-k\(String(format: "%03d", index + 1))", who, language: fr, addresses: book),
                                  expected: .matched(code, contact: nil)))
        }

        // New private customers: the ERP creates their accounts.
        for index in 0..<privateSignUps {
            let who = makePerson()
            let book = [try address("home", "\(who.first) \(who.last)", billing: true, shipping: true)]
            let language = random.chance(20) ? en : fr
            signUps.append(SignUp(account: siteAccount("acc-n\(String(format: "%03d", index + 1))", who, language: language, addresses: book),
                                  expected: .createdInERP))
        }
        // Companies on particular terms (#17), after every random draw so that the rest of
        // the day stays as the seed made it: one with a credit limit below its order, one the
        // ERP has blocked. One contact of each signs up.
        var buyers: [SiteAccountID] = []
        for (index, company) in [(name: "Imprimerie du Nord SA", status: AccountStatus.active, limit: Self.creditLimit as Money?),
                                 (name: "Quincaillerie Lebrun", status: .blocked, limit: nil)].enumerated() {
            let number = Self.companies.count + index + 1
            let code = ERPAccountCode(run.tagged("C2\(String(format: "%04d", number))"))
            let vat = "FR\(String(format: "%02d", 40 + number))123456\(String(format: "%03d", 824 + number))"
            let who = makePerson()
            let contact = ERPContact(contactID: ERPContactID(run.tagged("CT-\(number)1")), firstName: who.first, lastName: who.last, email: who.email,
                                     phone: who.phone, role: "Achats", isPrimary: true)
            let place = PostalAddress(recipientName: "Réception", companyName: company.name, lines: ["\(number) quai de la Gare"],
                                      postalCode: "59000", city: "Lille", country: try DemoValues.country("FR"))
            let book = [AccountAddress(addressID: "BILL-1", address: place, isDefaultBilling: true, isDefaultShipping: false),
                        AccountAddress(addressID: "SHIP-1", address: place, isDefaultBilling: false, isDefaultShipping: true)]
            accounts.append(ERPCustomerAccount(
                accountCode: code, kind: .b2b, status: company.status, companyName: company.name, vatNumber: vat, email: run.email("compta\(number)", domain: "example.com"),
                language: fr, currency: DemoValues.currency, priceList: DemoCatalogue.priceList, paymentTerms: "NET30", creditLimit: company.limit,
                addresses: book, contacts: [contact], updatedAt: before, source: .erp))
            let site = SiteCustomerAccount(
                siteAccountID: SiteAccountID(run.tagged("acc-b\(number)1")), email: who.email, emailVerified: true, phone: who.phone, firstName: who.first,
                lastName: who.last, companyName: company.name, vatNumber: vat, language: fr, addresses: book,
                consents: [Consent(purpose: .marketingEmail, granted: false, updatedAt: before)], createdAt: before, updatedAt: before, source: .site)
            signUps.append(SignUp(account: site, expected: .matched(code, contact: contact.contactID)))
            buyers.append(site.siteAccountID)
        }
        overLimitBuyer = buyers[0]
        blockedBuyer = buyers[1]
        erpAccounts = accounts
        self.signUps = signUps
    }

    /// Whether `id` orders only its case's order (`overLimitBuyer`, `blockedBuyer`).
    func ordersOnlyItsCase(_ id: SiteAccountID) -> Bool {
        id == overLimitBuyer || id == blockedBuyer
    }
}

private extension String {
    /// Without accents, for e-mail local parts.
    func folding() -> String {
        folding(options: .diacriticInsensitive, locale: nil)
    }
}
