import BusSchema

/// The validation rules an order passes before anything reaches the ERP, as pure functions.
/// Each returns every problem it finds, so a held order lists all its reasons at once.
///
/// The order total (lines + shipping − vouchers), the payments adding up to it and one
/// currency throughout are the schema's rules (`SiteOrder.validate()`): an order breaking
/// them never reaches the flow, it is dead-lettered with the JSON path.
public enum OrderChecks {
    /// The ERP account of the order's customer: a guest's is the configured guest account; a
    /// site account's is its link in the identity table, which must be `linked`.
    public static func customer(of order: SiteOrder, identities tables: any TableLookup, rules: OrderIngestRules) -> Result<ERPCustomer, Finding> {
        guard let account = order.customer.siteAccountID else { return .success(ERPCustomer(account: rules.guestAccount)) }
        guard let link = tables.latest(IdentityLink.self, in: Topics.customerIdentity, key: account.rawValue), link.status == .linked else {
            return .failure(Finding(code: .unknownCustomer, kind: .unknownCustomer,
                                    message: "the customer's site account is not linked to an ERP account",
                                    details: ["site_account_id": account.rawValue]))
        }
        return .success(ERPCustomer(account: link.erpAccountCode, contact: link.erpContactID, priceList: link.priceList,
                                    paymentTerms: link.paymentTerms, creditLimit: link.creditLimit, status: link.accountStatus ?? .active))
    }

    /// Every line's SKU is sold by the published catalogue (an article or one of its variants);
    /// with `check_catalog_prices`, its unit price is one the catalogue sells to this customer:
    /// the public price, or a row of a price list the customer may use (the account's own, from
    /// the identity table, or one of `public_price_lists`) valid on the order's day for its
    /// quantity; excluding or including tax. The order's day is the merchant's local date
    /// (`time_zone`): a promotion from 1 July starts at midnight in Paris, not in UTC.
    public static func catalogue(of order: SiteOrder, entries: (SKU) -> CatalogEntry?, customer: ERPCustomer?, rules: OrderIngestRules) -> [Finding] {
        let day = rules.localDate(at: order.placedAt)
        var entitled = Set(rules.publicPriceLists)
        if let own = customer?.priceList { entitled.insert(own) }
        return order.lines.compactMap { line in
            guard let entry = entries(line.sku) else {
                return Finding(code: .unknownSku, kind: .unknownSku, lineNumber: line.lineNumber,
                               message: "SKU \(line.sku) is not in the published catalogue",
                               details: ["sku": line.sku.rawValue, "line_number": String(line.lineNumber)])
            }
            guard rules.checkCatalogPrices else { return nil }
            let offered = offers(for: line, of: entry, on: day)
            guard !offered.contains(where: { $0.list.map(entitled.contains) ?? true }) else { return nil }
            var details = ["sku": line.sku.rawValue, "line_number": String(line.lineNumber),
                           "found_unit_price": line.unitPriceInclTax.description,
                           "catalogue_unit_price": entry.priceInclTax.description,
                           "local_date": day.description]
            var message = "line \(line.lineNumber): SKU \(line.sku) at \(line.unitPriceInclTax) including tax is not a price the catalogue sells to this customer on \(day) (public price \(entry.priceInclTax))"
            if let list = offered.compactMap(\.list).first {
                message += "; it is price list \(list)'s, to which the customer is not entitled"
                details["price_list"] = list.rawValue
                details["customer_price_list"] = customer?.priceList?.rawValue ?? "none"
            }
            return Finding(code: .priceMismatch, kind: .priceMismatch, lineNumber: line.lineNumber, message: message, details: details)
        }
    }

    /// The catalogue prices equal to the line's unit price (excluding or including tax) that
    /// apply to its quantity on `day`: nil list for the public price, else the row's list.
    static func offers(for line: SiteOrderLine, of entry: CatalogEntry, on day: LocalDate) -> [(list: PriceListCode?, price: Money)] {
        var offers: [(list: PriceListCode?, price: Money)] = []
        let matches = { (excl: Money, incl: Money) in excl == line.unitPriceExclTax || incl == line.unitPriceInclTax }
        if matches(entry.priceExclTax, entry.priceInclTax) { offers.append((nil, entry.priceInclTax)) }
        for price in entry.priceLists where price.minimumQuantity <= line.quantity
            && price.validFrom.map({ $0 <= day }) != false && price.validUntil.map({ day <= $0 }) != false
            && matches(price.priceExclTax, price.priceInclTax) {
            offers.append((price.priceList, price.priceInclTax))
        }
        return offers
    }

    /// Each line's total including tax is its quantity × unit price including tax (half-up to
    /// the minor unit) minus its discounts, to the cent.
    public static func lineArithmetic(of order: SiteOrder) throws(SchemaError) -> [Finding] {
        var findings: [Finding] = []
        for line in order.lines {
            let expected = try line.unitPriceInclTax.multiplied(by: line.quantity, rounding: .halfUp)
                .subtracting(Money.sum(line.discounts.map(\.amountInclTax), in: order.currency))
            guard expected != line.totalInclTax else { continue }
            findings.append(Finding(code: .priceMismatch, kind: .priceMismatch, lineNumber: line.lineNumber,
                                    message: "line \(line.lineNumber): quantity × unit price − discounts is \(expected), the line says \(line.totalInclTax)",
                                    details: ["line_number": String(line.lineNumber), "expected_total": expected.description,
                                              "found_total": line.totalInclTax.description]))
        }
        return findings
    }

    /// The billing and delivery addresses are complete: someone to address (a name or a
    /// company), a street line, a city, and a postal code unless the country has none.
    public static func addresses(of order: SiteOrder, rules: OrderIngestRules) -> [Finding] {
        [("billing_address", order.billingAddress), ("delivery_address", order.deliveryAddress)].compactMap { name, address in
            let missing = missingParts(of: address, rules: rules)
            guard !missing.isEmpty else { return nil }
            return Finding(code: .invalidAddress, kind: .other,
                           message: "the \(name.replacingOccurrences(of: "_", with: " ")) is incomplete: \(missing.joined(separator: ", ")) missing",
                           details: ["address": name, "missing": missing.joined(separator: ",")])
        }
    }

    /// The parts of `address` that are missing or blank, by field name.
    public static func missingParts(of address: PostalAddress, rules: OrderIngestRules) -> [String] {
        let blank: (String?) -> Bool = { ($0 ?? "").allSatisfy(\.isWhitespace) }
        var missing: [String] = []
        if blank(address.recipientName), blank(address.companyName) { missing.append("recipient_name") }
        if address.lines.allSatisfy(blank) { missing.append("lines") }
        if blank(address.city) { missing.append("city") }
        if blank(address.postalCode), !rules.countriesWithoutPostalCode.contains(address.country) { missing.append("postal_code") }
        return missing
    }
}
