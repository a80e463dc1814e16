/// What is left of a person's data once erased: the same shapes, with every value that could
/// name, reach or locate them replaced by `Anonymisation.placeholder` (or removed where
/// optional). The country stays (VAT and reporting need it) and so does a company's name and
/// VAT number (a legal entity's, not a person's). Anonymising twice gives the same value, so a
/// repeated erasure changes nothing.
public enum Anonymisation {
    /// The text that replaces an erased value.
    public static let placeholder = "erased"
    /// The e-mail that replaces an erased one: valid in shape, reaching no one (RFC 2606).
    public static let email = "erased@erased.invalid"
}

extension PostalAddress {
    /// The address with its recipient, street, postal code, city, region and phone erased.
    public var anonymised: PostalAddress {
        PostalAddress(recipientName: recipientName == nil ? nil : Anonymisation.placeholder, companyName: companyName,
                      lines: [Anonymisation.placeholder], postalCode: nil, city: Anonymisation.placeholder,
                      region: nil, country: country, phone: nil)
    }
}

extension OrderCustomer {
    /// The customer with their e-mail and names erased; the site account id stays, so the
    /// order still says whose it was to those who may know (the ERP anonymises its account).
    public var anonymised: OrderCustomer {
        OrderCustomer(siteAccountID: siteAccountID, email: Anonymisation.email, firstName: Anonymisation.placeholder,
                      lastName: Anonymisation.placeholder, companyName: companyName, vatNumber: vatNumber)
    }
}

extension SiteOrder {
    /// The order with its customer and both addresses anonymised.
    public var anonymised: SiteOrder {
        var order = self
        order.customer = customer.anonymised
        order.billingAddress = billingAddress.anonymised
        order.deliveryAddress = deliveryAddress.anonymised
        return order
    }
}

extension OrderChange {
    /// The change with its new delivery address anonymised.
    public var anonymised: OrderChange {
        var change = self
        change.deliveryAddress = deliveryAddress?.anonymised
        return change
    }
}
